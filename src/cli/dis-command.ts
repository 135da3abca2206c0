/**
 * `interleave dis FILE`: the micro-op listing of every function, like Python's `dis`.
 */
import { Command } from 'commander';
import { disassemble } from '../compile/dis.js';
import { setOption, loadOrThrow } from './common.js';

export function disCommand(): Command {
  return new Command('dis')
    .description("show the micro-ops of every function, like Python's dis; * marks visible operations")
    .argument('<file>', 'a thread program (.py)')
    .addOption(setOption('replace a module-level constant (repeatable)'))
    .action((file: string, flags: { set: [string, string][] }) => {
      const program = loadOrThrow(file, flags.set);
      process.stdout.write(disassemble(program));
    });
}
