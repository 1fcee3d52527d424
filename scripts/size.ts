/** Prints the bundle's size next to Lit's and fails past the budget. Run after the build. */
import { BUDGET_BYTES, measureBundle, sizeTable } from "./bundle-size.ts";

const sizes = await measureBundle();
console.log(sizeTable(sizes));
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
console.log(
  `budget: ${kb(sizes.bundleGzip)} of ${kb(BUDGET_BYTES)} (${
    ((100 * sizes.bundleGzip) / BUDGET_BYTES).toFixed(0)
  }%)`,
);
if (sizes.bundleGzip > BUDGET_BYTES) {
  console.error(
    `Cannot ship: dist/video-room.js is ${sizes.bundleGzip} bytes gzip, over the ${BUDGET_BYTES} budget`,
  );
  Deno.exit(1);
}
