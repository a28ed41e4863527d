#!/usr/bin/env node
import { main } from '../build/rally-gate.mjs';

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
