/**
 * The recording service on a real folder, without Janus: notes and names for
 * each stretch, the size limit, the sweep, and who makes the files in a
 * cluster. (The SFU test records a real meeting end to end.)
 */
import assert from "node:assert/strict";
import { RecordingLinks } from "../../../server/recording/recording-links.ts";
import { RecordingService } from "../../../server/recording/recording-service.ts";
import type { RecordingNews } from "../../../server/rooms/room-rules.ts";
import type { RoomRegistry, Seat } from "../../../server/rooms/room-registry.ts";
import { createLogger } from "../../../server/observe/logger.ts";
import { Metrics } from "../../../server/observe/metrics.ts";
import { until } from "../../shared/until.ts";

const ID = "20261205040049-cee581918bf9";
const seat = { id: "s1", room: "team", name: "Ana Ñ" } as Seat;
// A recording is marked busy before its first stretch's folder is made, as the SFU service does:
// the sweep a new service starts with makes the files of a folder nobody records into.

async function setUp(maxBytes = 1024 * 1024, retentionHours = 24) {
  const dir = await Deno.makeTempDir({ prefix: "vr-recording-service-" });
  const news: Array<{ room: string; id: string; news: RecordingNews }> = [];
  const registry = {
    recordingNews: (room: string, id: string, n: RecordingNews) => {
      news.push({ room, id, news: n });
      return Promise.resolve();
    },
  } as unknown as RoomRegistry;
  const metrics = new Metrics();
  const service = new RecordingService({
    config: { dir, maxBytes, retentionHours, linkHours: 1 },
    links: await RecordingLinks.create(null, 3600_000),
    registry,
    logger: createLogger("error", () => {}),
    metrics,
    timings: { settleMs: 10, watchMs: 20 },
  });
  return { dir, news, metrics, service };
}

Deno.test("each stretch gets a file name in the recording's folder and a note of whose it is", async () => {
  const { dir, service } = await setUp();
  try {
    const base = await service.segment(ID, seat);
    assert.match(base, new RegExp(`^${dir}/${ID}/s1-\\d+$`));
    const note = JSON.parse(await Deno.readTextFile(`${base}.json`));
    assert.equal(note.name, "Ana Ñ");
    assert.equal(note.room, "team");
    await assert.rejects(() => service.segment("../../etc", seat), /bad recording id/);
  } finally {
    await service.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("past RECORDINGS_MAX_BYTES the recording is stopped and the hosts told why", async () => {
  const { dir, news, metrics, service } = await setUp(1024 * 1024);
  try {
    service.busy(ID, "team");
    const base = await service.segment(ID, seat);
    await Deno.writeFile(`${base}-video-1.mjr`, new Uint8Array(1024 * 1024 + 1));
    await until(() => news.length > 0, "the hosts told", 2000);
    assert.deepEqual(news[0], {
      room: "team",
      id: ID,
      news: { failed: "Cannot keep recording: it reached its size limit (1 MB)" },
    });
    assert.equal(metrics.recordings.get("stopped-limit"), 1);
  } finally {
    await service.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("nothing recorded: the hosts hear so once ours are done; a second try finds it made", async () => {
  const { dir, news, metrics, service } = await setUp();
  try {
    service.busy(ID, "team");
    await service.segment(ID, seat);
    service.idle(ID, "team");
    await until(() => news.length > 0, "the hosts told", 2000);
    assert.deepEqual(news[0].news, {
      failed:
        "Cannot save the recording: nothing was recorded (every camera and microphone was off)",
    });
    assert.equal(metrics.recordings.get("failed"), 1);
    // The sweep (after a restart, say) does not make it twice.
    await service.sweep();
    assert.equal(news.length, 1);
  } finally {
    await service.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("in a cluster, another instance still recording makes the files, not us", async () => {
  const { dir, news, service } = await setUp();
  try {
    service.busy(ID, "team");
    await service.segment(ID, seat);
    await Deno.writeTextFile(`${dir}/${ID}/.live-otherone`, "");
    service.idle(ID, "team");
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(news.length, 0);
    await assert.rejects(() => Deno.stat(`${dir}/${ID}/.made`));
    // Theirs went stale (that instance died): the sweep makes them.
    await Deno.utime(`${dir}/${ID}/.live-otherone`, 0, 0);
    await service.sweep();
    assert.equal(news.length, 1);
  } finally {
    await service.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the sweep deletes recordings older than RECORDINGS_RETENTION_HOURS, and nothing else", async () => {
  const { dir, service } = await setUp(1024 * 1024, 1);
  try {
    const old = "20200101000000-000000000000";
    await Deno.mkdir(`${dir}/${old}`);
    await Deno.writeTextFile(`${dir}/${old}/.made`, "");
    await Deno.utime(`${dir}/${old}`, 0, 0);
    await Deno.mkdir(`${dir}/not-a-recording`);
    await Deno.utime(`${dir}/not-a-recording`, 0, 0);
    await service.sweep();
    await assert.rejects(() => Deno.stat(`${dir}/${old}`));
    assert.ok((await Deno.stat(`${dir}/not-a-recording`)).isDirectory);
  } finally {
    await service.close();
    await Deno.remove(dir, { recursive: true });
  }
});
