/**
 * docs/benchmarks.md is put together from the latest result of each
 * benchmark (bench/results/<name>.md, written by the benchmark that measured
 * it) and the analysis written by hand (bench/analysis.md). Rerunning one
 * benchmark refreshes its section and keeps the others.
 */
const here = new URL("./", import.meta.url);
/** The order of the sections on the page. */
const SECTIONS = ["relay", "relay-cpu", "join", "soak", "sfu", "receivers", "effects"] as const;
export type BenchmarkSection = (typeof SECTIONS)[number];

export async function writeBenchmarkSection(name: BenchmarkSection, markdown: string) {
  await Deno.writeTextFile(new URL(`results/${name}.md`, here), markdown.trimEnd() + "\n");
  const parts: string[] = [];
  for (const section of SECTIONS) {
    try {
      parts.push((await Deno.readTextFile(new URL(`results/${section}.md`, here))).trimEnd());
    } catch { /* not measured yet */ }
  }
  const analysis = await Deno.readTextFile(new URL("analysis.md", here));
  await Deno.writeTextFile(
    new URL("../docs/benchmarks.md", here),
    "# Benchmarks\n\nEach section is produced by the benchmark it names; rerun it to refresh that section.\n\n" +
      parts.join("\n\n") + "\n\n" + analysis.trimEnd() + "\n",
  );
}
