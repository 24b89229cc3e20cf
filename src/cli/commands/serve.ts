// `xiezhi serve`: the service without demo seeding (production; PostgreSQL/Redis by configuration).
import type { Command } from '../main.js';
import { runServerCommand } from './start.js';

const SUMMARY = 'serve the decision API (no demo seeding); configure with flags or XIEZHI_* variables';

export const command: Command = {
  summary: SUMMARY,
  run: (args) => runServerCommand('serve', SUMMARY, false, args),
};
