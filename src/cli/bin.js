#!/usr/bin/env node
// The `cairn` command: plain JS so npm can link it; registers tsx's ESM loader and runs the TypeScript CLI.
import { register } from 'tsx/esm/api';

register();
await import('./main.ts');
