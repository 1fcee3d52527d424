/** GET /recordings/…: a file behind its signed link, ranges for players; nothing else, ever. */
import assert from "node:assert/strict";
import { RecordingLinks } from "../../../server/recording/recording-links.ts";
import { recordingsRoute } from "../../../server/recording/recordings-route.ts";

const ID = "20261205040049-cee581918bf9";

async function setUp() {
  const dir = await Deno.makeTempDir({ prefix: "vr-recordings-route-" });
  await Deno.mkdir(`${dir}/${ID}/people`, { recursive: true });
  const bytes = new Uint8Array(1000).map((_, i) => i % 251);
  await Deno.writeFile(`${dir}/${ID}/meeting.webm`, bytes);
  await Deno.writeFile(`${dir}/${ID}/people/Ana-x-1.webm`, bytes.slice(0, 10));
  await Deno.writeTextFile(`${dir}/${ID}/a.json`, "{}");
  const links = await RecordingLinks.create(null, 60_000);
  const route = recordingsRoute(dir, links, { "x-content-type-options": "nosniff" });
  const get = (path: string, headers: Record<string, string> = {}, method = "GET") => {
    const url = new URL(path, "http://127.0.0.1");
    return route(new Request(url, { headers, method }), url);
  };
  return { dir, links, bytes, get };
}

Deno.test("a signed link downloads the file; a range is served for players", async () => {
  const { dir, links, bytes, get } = await setUp();
  try {
    const link = await links.sign(`/recordings/${ID}/meeting.webm`);
    const whole = await get(link);
    assert.equal(whole.status, 200);
    assert.equal(whole.headers.get("content-type"), "video/webm");
    assert.equal(whole.headers.get("content-disposition"), 'attachment; filename="meeting.webm"');
    assert.equal(whole.headers.get("x-content-type-options"), "nosniff");
    assert.deepEqual(new Uint8Array(await whole.arrayBuffer()), bytes);
    const part = await get(link, { range: "bytes=100-199" });
    assert.equal(part.status, 206);
    assert.equal(part.headers.get("content-range"), "bytes 100-199/1000");
    assert.deepEqual(new Uint8Array(await part.arrayBuffer()), bytes.slice(100, 200));
    const open = await get(link, { range: "bytes=990-" });
    assert.deepEqual(new Uint8Array(await open.arrayBuffer()), bytes.slice(990));
    const past = await get(link, { range: "bytes=5000-" });
    assert.equal(past.status, 416);
    await past.body?.cancel();
    const head = await get(link, {}, "HEAD");
    assert.equal(head.headers.get("content-length"), "1000");
    assert.equal(head.body, null);
    const person = await get(await links.sign(`/recordings/${ID}/people/Ana-x-1.webm`));
    assert.equal((await person.arrayBuffer()).byteLength, 10);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("without a good signature, or for anything but a recording's file: 403; deleted: 404", async () => {
  const { dir, links, get } = await setUp();
  try {
    const signed = async (path: string) => await links.sign(path);
    const refused = [
      `/recordings/${ID}/meeting.webm`,
      `/recordings/${ID}/meeting.webm?expires=99999999999&sig=${"0".repeat(64)}`,
      `/recordings/`,
      `/recordings/${ID}/`,
      await signed(`/recordings/${ID}/a.json`),
      await signed(`/recordings/${ID}/../${ID}/meeting.webm`),
      await signed(`/recordings/${ID}/%2e%2e/meeting.webm`),
      await signed(`/recordings/x/meeting.webm`),
      await signed(`/recordings/${ID}/people/../meeting.webm`),
    ];
    for (const path of refused) {
      const res = await get(path);
      assert.equal(res.status, 403, path);
      await res.body?.cancel();
    }
    await Deno.remove(`${dir}/${ID}/meeting.webm`);
    const gone = await get(await signed(`/recordings/${ID}/meeting.webm`));
    assert.equal(gone.status, 404);
    await gone.body?.cancel();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("fuzz: 3000 stranger paths, queries and ranges: always an answer, never a file unsigned", async () => {
  const { dir, links, get } = await setUp();
  try {
    let seed = 20261205;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)];
    const pieces = [
      "/recordings/",
      ID,
      "/",
      "meeting.webm",
      "people/",
      "..",
      "%2e%2e",
      "%00",
      "a.json",
      "?expires=",
      "&sig=",
      "9999999999",
      "0".repeat(64),
      "\u00e9",
      "//",
      "%2F",
      "bytes=",
      "-",
      "5",
    ];
    const signed = await links.sign(`/recordings/${ID}/meeting.webm`);
    for (let i = 0; i < 3000; i++) {
      let path = "/recordings/";
      for (let n = Math.floor(random() * 8); n > 0; n--) path += pick(pieces);
      if (random() < 0.2) path = signed + pick(pieces);
      const range = random() < 0.3 ? `bytes=${pick(pieces)}${pick(pieces)}` : undefined;
      let res: Response;
      try {
        res = await get(path, range ? { range } : {});
      } catch (err) {
        // Only a URL that cannot be a URL at all may fail, and before the route sees it.
        assert.ok(err instanceof TypeError, `${path}: ${err}`);
        continue;
      }
      assert.ok([200, 206, 403, 404, 416].includes(res.status), `${path} → ${res.status}`);
      if (res.status === 200 || res.status === 206) {
        assert.ok(path.startsWith(signed), `a file only through its signed link: ${path}`);
      }
      await res.body?.cancel();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
