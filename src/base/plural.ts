/** `1 step`, `2,048 steps`: a count (grouped as en-US) and the word in the right number. */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? one : many}`;
}
