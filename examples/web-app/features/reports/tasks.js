// Report tasks. Re-exports the app's huey, so `huey-consumer features` finds it.
import { huey } from '../../huey.js';

export { huey };

/** Sums a list of numbers (a stand-in for a slow report). */
export const sumReport = huey.task((numbers) => numbers.reduce((a, b) => a + b, 0), { name: 'sumReport' });
