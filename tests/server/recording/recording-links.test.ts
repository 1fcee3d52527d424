/** Signed recording links: they open their own file only, and only until they expire. */
import assert from "node:assert/strict";
import { RecordingLinks } from "../../../server/recording/recording-links.ts";

const PATH = "/recordings/20261205040049-cee581918bf9/meeting.webm";

Deno.test("a signed link opens its own path until it expires; nothing else does", async () => {
  const links = await RecordingLinks.create("a-secret-of-at-least-32-characters!!", 3600_000);
  const now = Date.UTC(2026, 11, 5);
  const link = await links.sign(PATH, now);
  const url = new URL(link, "http://x");
  const expires = url.searchParams.get("expires");
  const sig = url.searchParams.get("sig");
  assert.equal(url.pathname, PATH);
  assert.equal(Number(expires), now / 1000 + 3600);
  assert.ok(await links.verify(PATH, expires, sig, now));
  assert.ok(await links.verify(PATH, expires, sig, now + 3599_000), "still good within the hour");
  assert.ok(!(await links.verify(PATH, expires, sig, now + 3601_000)), "expired");
  assert.ok(!(await links.verify(PATH.replace("meeting", "other"), expires, sig, now)));
  assert.ok(!(await links.verify(PATH, String(Number(expires) + 1), sig, now)), "a later expiry");
  for (const bad of [null, "", "zz", sig!.slice(1), sig!.toUpperCase(), `${sig}0`]) {
    assert.ok(!(await links.verify(PATH, expires, bad, now)), `sig ${bad}`);
  }
  for (const bad of [null, "", "-1", "1e9", "99999999999999"]) {
    assert.ok(!(await links.verify(PATH, bad, sig, now)), `expires ${bad}`);
  }
});

Deno.test("links from one secret work on every instance; another secret's do not", async () => {
  const a = await RecordingLinks.create("the-same-secret-on-two-instances-!!", 60_000);
  const b = await RecordingLinks.create("the-same-secret-on-two-instances-!!", 60_000);
  const other = await RecordingLinks.create(null, 60_000);
  const url = new URL(await a.sign(PATH), "http://x");
  const [expires, sig] = [url.searchParams.get("expires"), url.searchParams.get("sig")];
  assert.ok(await b.verify(PATH, expires, sig));
  assert.ok(!(await other.verify(PATH, expires, sig)));
});
