// `node --import ./test/helpers/ts-register.mjs file.ts`: run TypeScript sources in a child process (see ts-loader.mjs).
import { register } from 'node:module';
register('./ts-loader.mjs', import.meta.url);
