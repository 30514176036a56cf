'use strict';
// Removes compiled output whose TypeScript source is gone (a moved or deleted file), so that after a pull the old
// `dist/activities/orderAcknowledgment.js` cannot shadow the new `activities/orderAcknowledgment/` folder for
// `require('./orderAcknowledgment')`. tsc never deletes outputs itself. Plain CommonJS: it runs before the build.
const fs = require('node:fs');
const path = require('node:path');

const OUTPUT = /(\.d\.ts|\.js\.map|\.js)$/;

/** Deletes outputs under `distDir` without a `.ts` source under `rootDir`, then empty folders. Returns what went. */
function pruneStaleOutputs(rootDir, distDir) {
  const removed = [];
  const walk = (dir) => {
    if (!fs.existsSync(dir)) return;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        walk(full);
        if (fs.readdirSync(full).length === 0) fs.rmdirSync(full);
        continue;
      }
      const m = OUTPUT.exec(entry.name);
      if (!m) continue;
      const relative = path.relative(distDir, full);
      const source = path.join(rootDir, relative.slice(0, -m[1].length) + '.ts');
      if (!fs.existsSync(source)) {
        fs.rmSync(full);
        removed.push(relative);
      }
    }
  };
  walk(distDir);
  return removed;
}

module.exports = { pruneStaleOutputs };
