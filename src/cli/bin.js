#!/usr/bin/env node
// The `cairn` command: plain JS so npm can link it. Node ≥ 22.18 runs the TypeScript CLI as it is
// (type stripping; the sources use erasable syntax only, see tsconfig.json); older Node gets tsx's
// loader, which costs ~100 MB of RSS and wraps every function (README "Architecture").
if (!process.features.typescript) {
  const { register } = await import('tsx/esm/api');
  register();
}
await import('./main.ts');
