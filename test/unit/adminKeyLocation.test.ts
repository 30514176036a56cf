import assert from 'node:assert/strict';
import { test } from 'node:test';
import { adminKeyLocation } from '../../api/bootstrap';

// `npm start` prints where the admin key is kept (scripts/startStack.ts), never the key (issue 13 item 5).
test('the admin key is described by where it is kept', () => {
  const file = '/data/secrets/admin-api-key';
  assert.deepEqual(adminKeyLocation(file), { where: `kept in ${file}`, shell: `$(cat '${file}')` });
  assert.deepEqual(adminKeyLocation(undefined), {
    where: 'the ADMIN_API_KEY environment variable',
    shell: '$ADMIN_API_KEY',
  });
});
