// The npm registry mirror this project is built against serves only the packages of its own
// platform, so `npm install` cannot record other platforms' optional binaries (e.g.
// @swc/core-darwin-arm64) in package-lock.json, and `npm ci` then refuses the lock as out of
// sync. This adds an entry for each such optional package, with the os/cpu/libc it is built
// for, so `npm ci` sees a complete lock and skips them on platforms they are not for.
// Run after `npm install`: node scripts/lock-platform-stubs.mjs
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

const lock = JSON.parse(readFileSync('package-lock.json', 'utf8'));
const OS = ['darwin', 'linux', 'win32', 'freebsd', 'android', 'openbsd', 'netbsd', 'sunos', 'aix', 'wasm32'];
const CPU = { arm64: 'arm64', x64: 'x64', ia32: 'ia32', arm: 'arm', ppc64: 'ppc64', ppc64le: 'ppc64', s390x: 's390x', riscv64: 'riscv64', loong64: 'loong64', wasm32: 'wasm32', armv7: 'arm', universal: null };

function platformOf(name) {
  const parts = name.split('/').pop().split('-');
  const os = parts.find((p) => OS.includes(p));
  const cpuPart = parts.find((p) => p in CPU) ?? (parts.includes('gnueabihf') ? 'arm' : undefined);
  const entry = {};
  if (os && os !== 'wasm32') entry.os = [os];
  if (cpuPart && CPU[cpuPart]) entry.cpu = [CPU[cpuPart]];
  if (parts.includes('wasm32') || parts.includes('wasi')) entry.cpu = ['wasm32'];
  if (parts.includes('musl')) entry.libc = ['musl'];
  else if (parts.includes('gnu') || parts.includes('gnueabihf')) entry.libc = ['glibc'];
  return entry;
}

let added = 0;
for (const [path, pkg] of Object.entries(lock.packages)) {
  for (const [name, range] of Object.entries(pkg.optionalDependencies ?? {})) {
    const base = path === '' ? '' : `${path}/`;
    const nested = `${base}node_modules/${name}`;
    const hoisted = `node_modules/${name}`;
    if (lock.packages[nested] || lock.packages[hoisted]) continue;
    const version = range.replace(/^[\^~=]/, '');
    const file = name.split('/').pop();
    lock.packages[hoisted] = {
      version,
      resolved: `https://registry.npmjs.org/${name}/-/${file}-${version}.tgz`,
      optional: true,
      ...platformOf(name),
    };
    added += 1;
  }
}
// Every entry carries its integrity hash, so `npm ci` verifies what it downloads on any platform.
// The registry gives the hash of a package it would not install here.
let hashed = 0;
for (const [path, pkg] of Object.entries(lock.packages)) {
  if (path === '' || pkg.integrity || pkg.link) continue;
  const name = path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
  pkg.resolved ??= `https://registry.npmjs.org/${name}/-/${name.split('/').pop()}-${pkg.version}.tgz`;
  pkg.integrity = execFileSync('npm', ['view', `${name}@${pkg.version}`, 'dist.integrity'], { encoding: 'utf8' }).trim();
  if (!pkg.integrity) throw new Error(`the registry has no integrity hash for ${name}@${pkg.version}`);
  hashed += 1;
}
writeFileSync('package-lock.json', `${JSON.stringify(lock, null, 2)}\n`);
console.log(`added ${added} platform-specific optional packages to package-lock.json; hashed ${hashed} entries`);
