import { fileURLToPath } from 'node:url';

/** bench/ and the repository root, whatever the working directory. */
export const benchDir = fileURLToPath(new URL('..', import.meta.url)).replace(/\/$/, '');
export const rootDir = fileURLToPath(new URL('../..', import.meta.url)).replace(/\/$/, '');
