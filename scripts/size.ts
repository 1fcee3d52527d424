/** Prints the bundle's sizes and fails past a budget. Run after the build. */
import { ENTRY_BUDGET_BYTES, measureBundle, sizeTable, TOTAL_BUDGET_BYTES } from "./bundle-size.ts";

const sizes = await measureBundle();
console.log(sizeTable(sizes));
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
let over = false;
for (
  const [what, bytes, budget] of [
    ["the entry (with its static imports)", sizes.entryGzip, ENTRY_BUDGET_BYTES],
    ["the entry, every chunk and one language", sizes.totalGzip, TOTAL_BUDGET_BYTES],
  ] as const
) {
  console.log(
    `budget: ${what}: ${kb(bytes)} of ${kb(budget)} (${(100 * bytes / budget).toFixed(0)}%)`,
  );
  if (bytes > budget) {
    console.error(`Cannot ship: ${what} is ${bytes} bytes gzip, over the ${budget} budget`);
    over = true;
  }
}
if (over) Deno.exit(1);
