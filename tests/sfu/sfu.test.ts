/**
 * Rooms beyond the mesh, end to end: a real Janus, the real server and
 * headless Chromium pages, all inside the network namespace that
 * scripts/netns-run.ts made (Janus never uses loopback for media). People
 * join by invite links as a person would; every check reads what their pages
 * show or what getStats reports.
 */
import assert from "node:assert/strict";
import type { Browser, Page } from "puppeteer-core";
import { startJanus } from "../../scripts/janus-process.ts";
import { importTokenSecret, mintRoomToken } from "../../server/session/room-token.ts";
import { startRedis } from "../shared/redis-server.ts";
import { startCoturn, TURN_SECRET } from "../shared/coturn.ts";
import { allowDownloads, downloadRecording, probeRecording } from "../shared/recorded-file.ts";
import {
  freePort,
  launchBrowser,
  launchFirefox,
  mediaCounters,
  openPeer,
  openPeerIn,
  type Peer,
  shownError,
  startServerProcess,
  until,
} from "../e2e/harness.ts";
import {
  buttonShown,
  choose,
  press,
  shownChat,
  shownFeatured,
  shownText,
  shownTiles,
  typeInto,
} from "../e2e/by-hand.ts";

/**
 * One headless Chromium (and, when asked, one Firefox) and the people in it,
 * each in a browser context of their own.
 */
class Crowd {
  readonly peers: Peer[] = [];
  #firefox: Browser | null = null;
  private constructor(readonly browser: Browser) {}

  static async open(): Promise<Crowd> {
    return new Crowd(await launchBrowser());
  }

  /** Someone opens an invite link (it joins at once); in once their call controls show. */
  async arrive(
    url: string,
    name: string,
    inFirefox = false,
    before?: (page: Page) => Promise<void>,
  ): Promise<Peer> {
    const peer = await this.visit(url, name, inFirefox, before);
    await buttonShown(peer.page, "Raise hand", 20000);
    return peer;
  }

  /** Someone opens a link, and may be turned away. */
  async visit(
    url: string,
    name: string,
    inFirefox = false,
    before?: (page: Page) => Promise<void>,
  ): Promise<Peer> {
    let peer: Peer;
    if (inFirefox) {
      this.#firefox ??= await launchFirefox();
      peer = await openPeerIn(await this.#firefox.createBrowserContext(), url, name, before);
    } else peer = await openPeer(this.browser, url, name, before);
    this.peers.push(peer);
    return peer;
  }

  async close(): Promise<void> {
    for (const p of this.peers) await p.close().catch(() => {});
    await this.#firefox?.close();
    await this.browser.close();
  }
}

/** An invite link: the demo page with the room and a name joins at once. */
const invite = (origin: string, room: string, name: string, token?: string) =>
  `${origin}/?room=${room}&name=${name}${token ? `&token=${token}` : ""}`;

/** Frames each remote camera tile has shown, by the person's name. */
function tileFrames(page: Page): Promise<Record<string, number>> {
  return page.evaluate(() => {
    const out: Record<string, number> = {};
    const room = document.querySelector("video-room");
    for (const t of room?.shadowRoot?.querySelectorAll("peer-tile") ?? []) {
      const tile = t as HTMLElement & { name: string; local: boolean; screen: boolean };
      if (tile.local || tile.screen) continue;
      const video = tile.shadowRoot?.querySelector("video");
      out[tile.name] = video ? video.getVideoPlaybackQuality().totalVideoFrames : 0;
    }
    return out;
  });
}

/** How the page's call travels: the element's reflected attribute. */
function mediaMode(page: Page): Promise<string | null> {
  return page.evaluate(() => document.querySelector("video-room")!.getAttribute("media-mode"));
}

/** Open peer connections on the page (the harness counts every one made). */
function openConnections(page: Page): Promise<number> {
  return page.evaluate(() =>
    ((globalThis as { __pcs?: RTCPeerConnection[] }).__pcs ?? [])
      .filter((pc) => pc.connectionState !== "closed").length
  );
}

/** Names whose camera tile plays (a picture, and its clock moves). */
async function playing(page: Page): Promise<string[]> {
  return (await shownTiles(page)).filter((t) => t.playing && !t.screen && !/\(you\)$/.test(t.label))
    .map((t) => t.label);
}

/** Counts the element's peer-joined and peer-left events on the page from now on. */
async function countChurn(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = globalThis as { __churn?: { joined: number; left: number } };
    w.__churn = { joined: 0, left: 0 };
    const room = document.querySelector("video-room")!;
    room.addEventListener("peer-joined", () => w.__churn!.joined++);
    room.addEventListener("peer-left", () => w.__churn!.left++);
  });
}

function churn(page: Page): Promise<{ joined: number; left: number }> {
  return page.evaluate(() =>
    (globalThis as { __churn?: { joined: number; left: number } }).__churn!
  );
}

Deno.test("a room moves to the SFU past MESH_MAX and back to peer to peer at two", async (t) => {
  const janus = await startJanus({ port: 8188 });
  const server = await startServerProcess({
    JANUS_URLS: janus.url,
    MESH_MAX: "3",
    RESUME_GRACE_MS: "2000",
  });
  const crowd = await Crowd.open();
  const peers = crowd.peers;
  const room = `sfu-${crypto.randomUUID().slice(0, 8)}`;
  const arrive = (name: string) => crowd.arrive(invite(server.origin, room, name), name);
  const everyoneSees = async (who: Peer[], names: string[], what: string) => {
    for (const p of who) {
      await until(
        async () => {
          const shown = await playing(p.page);
          return names.every((n) => shown.includes(n) || p === who[names.indexOf(n)]);
        },
        what,
        30000,
      );
    }
  };
  try {
    const names = ["Ana", "Bo", "Cy", "Di", "Ed"];
    const [ana, bo, cy] = [await arrive("Ana"), await arrive("Bo"), await arrive("Cy")];

    await t.step("three people: a mesh, browser to browser", async () => {
      await everyoneSees([ana, bo, cy], names.slice(0, 3), "three in a mesh see each other");
      for (const p of [ana, bo, cy]) {
        assert.equal(await mediaMode(p.page), "mesh");
        assert.equal(await openConnections(p.page), 2, "one connection per other person");
      }
    });

    let di: Peer;
    await t.step("a fourth moves everyone to the SFU without a stall or churn", async () => {
      for (const p of [ana, bo, cy]) await countChurn(p.page);
      // Watch every remote tile's frame counter on the first three pages through the switch.
      const lastMove = new Map<string, { value: number; at: number }>();
      let worst = 0;
      let worstWhat = "";
      let watching = true;
      const watcher = (async () => {
        while (watching) {
          const now = Date.now();
          for (const [i, p] of [ana, bo, cy].entries()) {
            const frames = await tileFrames(p.page).catch(() => ({}));
            for (const [name, value] of Object.entries(frames)) {
              if (name === "Di") continue; // new: nothing to keep going yet
              const key = `${names[i]} watching ${name}`;
              const last = lastMove.get(key);
              if (!last || last.value !== value) lastMove.set(key, { value, at: now });
              else if (now - last.at > worst) {
                worst = now - last.at;
                worstWhat = key;
              }
            }
          }
          await new Promise((r) => setTimeout(r, 200));
        }
      })();
      try {
        di = await arrive("Di");
        const four = [ana, bo, cy, di];
        for (const p of four) {
          await until(async () => (await mediaMode(p.page)) === "sfu", "media-mode sfu", 10000);
        }
        await everyoneSees(four, names.slice(0, 4), "four through the SFU see each other");
        // The mesh connections close once SFU media flows: two left, to Janus.
        for (const p of four) {
          await until(
            async () => (await openConnections(p.page)) === 2,
            "only the SFU's two",
            15000,
          );
        }
        await new Promise((r) => setTimeout(r, 2000));
      } finally {
        watching = false;
        await watcher;
      }
      assert.ok(worst <= 2000, `a picture stalled ${worst} ms (${worstWhat})`);
      for (const p of [ana, bo, cy]) {
        assert.deepEqual(await churn(p.page), { joined: 1, left: 0 }, "Di joined; nobody left");
      }
    });

    await t.step(
      "the host records the SFU call in the browser: four people in one file",
      async () => {
        const downloads = await Deno.makeTempDir({ prefix: "vr-recording-" });
        try {
          await allowDownloads(ana.page, ana.context, downloads);
          await choose(ana.page, "Host controls", "Record the meeting");
          const asked = Date.now();
          await until(
            async () => (await shownText(cy.page)).includes("Recording"),
            "Cy sees it",
            1000,
          );
          await new Promise((r) => setTimeout(r, 5000));
          await choose(ana.page, "Host controls", "Stop recording");
          // From the first click to the second, give or take the clicks' own time on a busy machine.
          const between = (Date.now() - asked) / 1000;
          const { streams, seconds, fps } = await probeRecording(
            await downloadRecording(ana.page, downloads),
          );
          assert.deepEqual(streams, ["audio", "video"]);
          assert.ok(seconds > 4.5 && seconds < between + 1, `${seconds} s of ${between} s`);
          // Four people and Janus on two cores: the recorder draws when the page has time (about
          // 1.5 pictures a second here; 25 in the two-person mesh test) rather than slow the call.
          console.log(`recorded ${seconds} s at ${fps.toFixed(1)} fps`);
          assert.ok(fps >= 0.5, `the picture moves (${fps.toFixed(1)} fps)`);
        } finally {
          await Deno.remove(downloads, { recursive: true });
        }
      },
    );

    await t.step("a late joiner in an SFU room sees everyone at once", async () => {
      const ed = await arrive("Ed");
      assert.equal(await mediaMode(ed.page), "sfu");
      await everyoneSees([ana, bo, cy, di!, ed], names, "five through the SFU");
      assert.equal(await openConnections(ed.page), 2);
    });

    await t.step("a screen share through the SFU", async () => {
      await press(bo.page, "Share screen");
      for (const p of [ana, cy]) {
        await until(
          async () => (await shownFeatured(p.page)) === "Bo's screen",
          "Bo's screen featured",
          15000,
        );
      }
      await press(bo.page, "Stop sharing");
      await until(
        async () => !(await shownTiles(ana.page)).some((x) => x.screen),
        "the screen tile goes",
        15000,
      );
    });

    await t.step(
      "breakout groups: a host splits six into three, each a mesh of its own; together again through the SFU",
      async () => {
        const fy = await arrive("Fy");
        const six = [ana, bo, cy, di!, peers[4], fy];
        const everyone = [...names, "Fy"];
        await everyoneSees(six, everyone, "six through the SFU");
        for (const p of six) await countChurn(p.page);
        // Ana plans three groups in her panel, guests spread evenly: Bo and Ed, Cy and Fy, Di.
        await choose(ana.page, "Host controls", "Breakout rooms");
        await ana.page.locator('::-p-aria([name="Number of groups"][role="spinbutton"])').click();
        await ana.page.keyboard.down("Control");
        await ana.page.keyboard.press("a");
        await ana.page.keyboard.up("Control");
        await ana.page.keyboard.type("3");
        await ana.page.keyboard.press("Tab");
        await press(ana.page, "Open breakout rooms");
        for (const p of six) {
          await until(async () => (await mediaMode(p.page)) === "mesh", "groups are meshes", 15000);
        }
        const groups: Array<[Peer, string]> = [
          [bo, "Ed"],
          [peers[4], "Bo"],
          [cy, "Fy"],
          [fy, "Cy"],
          [di!, ""],
        ];
        for (const [p, other] of groups) {
          await until(
            async () => (await playing(p.page)).join() === other,
            `only ${other || "nobody"} plays in the group`,
            30000,
          );
          const links = other ? 1 : 0;
          await until(async () => (await openConnections(p.page)) === links, "mesh links", 30000);
        }
        await until(async () => (await playing(ana.page)).length === 0, "Ana alone", 30000);
        await until(
          async () => (await shownText(di!.page)).includes("You are in Group 3"),
          "Di's bar",
          10000,
        );
        await press(ana.page, "Close breakout rooms");
        for (const p of six) {
          await until(async () => (await mediaMode(p.page)) === "sfu", "back in the SFU", 15000);
        }
        await everyoneSees(six, everyone, "six through the SFU again");
        for (const p of six) {
          assert.deepEqual(await churn(p.page), { joined: 0, left: 0 }, "moves, not comings");
        }
        await press(ana.page, "Close"); // the panel
      },
    );

    await t.step("down to two for 10 s: back to peer to peer", async () => {
      for (const p of peers.splice(2)) await p.close();
      for (const p of [ana, bo]) {
        await until(async () => (await mediaMode(p.page)) === "mesh", "back to mesh", 20000);
      }
      await everyoneSees([ana, bo], ["Ana", "Bo"], "two in a mesh again");
      for (const p of [ana, bo]) {
        await until(
          async () => (await openConnections(p.page)) === 1,
          "one mesh connection",
          20000,
        );
      }
    });

    await t.step("when the meeting ends, Janus holds no room and no session of ours", async () => {
      for (const p of peers.splice(0)) await p.close();
      await until(
        async () => {
          const c = await janus.counts();
          return c.rooms === 0 && c.sessions === 0;
        },
        "Janus empty",
        20000,
      );
    });
  } finally {
    await crowd.close();
    await server.stop();
    await janus.stop();
  }
});

Deno.test("a breakout group past MESH_MAX goes through the SFU in a Janus room of its own", async () => {
  const janus = await startJanus({ port: 8188 });
  const log: string[] = [];
  const server = await startServerProcess(
    { JANUS_URLS: janus.url, MESH_MAX: "2", LOG_LEVEL: "debug" },
    (line) => /sfu/.test(line) && log.push(line),
  );
  const crowd = await Crowd.open();
  const room = `sfu-groups-${crypto.randomUUID().slice(0, 8)}`;
  const arrive = (name: string) => crowd.arrive(invite(server.origin, room, name), name);
  try {
    const [ana, bo, cy, di] = [
      await arrive("Ana"),
      await arrive("Bo"),
      await arrive("Cy"),
      await arrive("Di"),
    ];
    const four = [ana, bo, cy, di];
    for (const p of four) {
      await until(async () => (await mediaMode(p.page)) === "sfu", "the room in the SFU", 15000);
      await until(async () => (await playing(p.page)).length === 3, "four see each other", 30000);
    }
    for (const p of four) await countChurn(p.page);
    // Ana opens one group for the three guests: three is past the mesh's two.
    await choose(ana.page, "Host controls", "Breakout rooms");
    await ana.page.locator('::-p-aria([name="Number of groups"][role="spinbutton"])').click();
    await ana.page.keyboard.down("Control");
    await ana.page.keyboard.press("a");
    await ana.page.keyboard.up("Control");
    await ana.page.keyboard.type("1");
    await ana.page.keyboard.press("Tab");
    await press(ana.page, "Open breakout rooms");
    await until(async () => (await mediaMode(ana.page)) === "mesh", "Ana alone: a mesh", 15000);
    for (const [p, others] of [[bo, "Cy,Di"], [cy, "Bo,Di"], [di, "Bo,Cy"]] as const) {
      assert.equal(await mediaMode(p.page), "sfu");
      await until(
        async () => (await playing(p.page)).sort().join() === others,
        `the group sees itself through the SFU (${others})`,
        30000,
      );
    }
    await until(async () => (await playing(ana.page)).length === 0, "Ana sees nobody", 30000);
    await press(ana.page, "Close breakout rooms");
    for (const p of four) {
      await until(async () => (await mediaMode(p.page)) === "sfu", "back in the SFU", 15000);
      await until(async () => (await playing(p.page)).length === 3, "four again", 30000);
      assert.deepEqual(await churn(p.page), { joined: 0, left: 0 }, "moves, not comings");
    }
    for (const p of crowd.peers.splice(0)) await p.close();
    let counts = {};
    await until(
      async () => {
        const c = counts = await janus.counts();
        return c.rooms === 0 && c.sessions === 0;
      },
      "Janus empty: the group's room went too",
      20000,
    ).catch((err) => {
      throw new Error(`${err.message}: ${JSON.stringify(counts)}\n${log.slice(-40).join("\n")}`);
    });
  } finally {
    await crowd.close();
    await server.stop();
    await janus.stop();
  }
});

Deno.test("server recording: three people recorded by Janus, one file each and one of the meeting", async () => {
  const janus = await startJanus({ port: 8188 });
  const recordings = await Deno.makeTempDir({ prefix: "vr-server-recordings-" });
  const downloads = await Deno.makeTempDir({ prefix: "vr-downloads-" });
  const log: string[] = [];
  const server = await startServerProcess({
    JANUS_URLS: janus.url,
    MESH_MAX: "4",
    RECORDINGS_DIR: recordings,
    LOG_LEVEL: "debug",
  }, (line) => /record/.test(line) && log.push(line));
  const crowd = await Crowd.open();
  const room = `recorded-${crypto.randomUUID().slice(0, 8)}`;
  const arrive = (name: string) => crowd.arrive(invite(server.origin, room, name), name);
  try {
    const [ana, bo, cy] = [await arrive("Ana"), await arrive("Bo"), await arrive("Cy")];
    for (const p of [ana, bo, cy]) {
      await until(async () => (await playing(p.page)).length === 2, "three see each other", 30000);
      assert.equal(await mediaMode(p.page), "mesh", "three are a mesh (MESH_MAX=4)");
    }
    await allowDownloads(ana.page, ana.context, downloads);
    await choose(ana.page, "Host controls", "Record the meeting");
    const asked = Date.now();
    // Everyone is told at once, and the room moves to the SFU, which records it.
    for (const p of [bo, cy]) {
      await until(async () => (await shownText(p.page)).includes("Recording"), "told", 1000);
    }
    for (const p of [ana, bo, cy]) {
      await until(async () => (await mediaMode(p.page)) === "sfu", "through the SFU", 15000);
      await until(async () => (await playing(p.page)).length === 2, "all seen again", 30000);
    }
    // A late joiner sees the badge too.
    const di = await arrive("Di");
    await until(async () => (await shownText(di.page)).includes("Recording"), "Di told", 2000);
    await new Promise((r) => setTimeout(r, 8000));
    await choose(ana.page, "Host controls", "Stop recording");
    const between = (Date.now() - asked) / 1000;
    const stopped = Date.now();
    // Within a minute the host's page offers the meeting's file; its link is signed.
    await until(
      async () => (await shownText(ana.page)).includes("Download"),
      "the file offered",
      60000,
    ).catch(async (err) => {
      const files = [];
      for await (const d of Deno.readDir(recordings)) {
        for await (const f of Deno.readDir(`${recordings}/${d.name}`)) files.push(f.name);
      }
      throw new Error(`${err.message}\n${log.join("\n")}\nfiles: ${files.join(" ")}`);
    });
    console.log(`the file offered ${((Date.now() - stopped) / 1000).toFixed(1)} s after Stop`);
    const link = await ana.page.evaluate(() =>
      document.querySelector("video-room")!.shadowRoot!.querySelector<HTMLAnchorElement>(
        '[part="download"]',
      )!.href
    );
    assert.match(
      link,
      /\/recordings\/\d{14}-[0-9a-f]{12}\/meeting\.webm\?expires=\d+&sig=[0-9a-f]{64}$/,
    );
    const file = await downloadRecording(ana.page, downloads);
    const meeting = await probeRecording(file);
    assert.deepEqual(meeting.streams, ["audio", "video"]);
    assert.ok(
      meeting.seconds > 6 && meeting.seconds < between + 2,
      `${meeting.seconds} s of ${between} s`,
    );
    console.log(`meeting file: ${meeting.seconds.toFixed(1)} s at ${meeting.fps.toFixed(1)} fps`);
    // A guest's page offers nothing; each person has a file of their own on the server's disk.
    assert.ok(!(await shownText(bo.page)).includes("Download"));
    const [id] = link.match(/\d{14}-[0-9a-f]{12}/)!;
    const people = await Array.fromAsync(Deno.readDir(`${recordings}/${id}/people`));
    const named = [...new Set(people.map((e) => e.name.split("-")[0]))].sort();
    assert.deepEqual(named, ["Ana", "Bo", "Cy", "Di"]);
    for (const person of people) {
      const facts = await probeRecording(`${recordings}/${id}/people/${person.name}`);
      assert.deepEqual(facts.streams, ["audio", "video"], person.name);
      assert.ok(facts.seconds > 3, `${person.name}: ${facts.seconds} s`);
    }
    // The link without its signature, or altered, or expired, is refused.
    const bare = link.replace(/\?.*/, "");
    assert.equal(await fetch(bare).then((r) => r.body?.cancel().then(() => r.status)), 403);
    const altered = link.replace(/sig=./, (m) => (m.endsWith("0") ? "sig=1" : "sig=0"));
    assert.equal(await fetch(altered).then((r) => r.body?.cancel().then(() => r.status)), 403);
    const stale = link.replace(/expires=\d+/, "expires=1000");
    assert.equal(await fetch(stale).then((r) => r.body?.cancel().then(() => r.status)), 403);
    // A player's byte range is served.
    const part = await fetch(link, { headers: { range: "bytes=0-99" } });
    assert.equal(part.status, 206);
    assert.equal((await part.arrayBuffer()).byteLength, 100);
    const metrics = await (await fetch(`${server.origin}/metrics`)).text();
    assert.match(metrics, /video_room_recordings_total\{outcome="ready"\} 1/);
  } finally {
    await crowd.close();
    await server.stop();
    await janus.stop();
    await Deno.remove(downloads, { recursive: true });
    await Deno.remove(recordings, { recursive: true });
  }
});

/** The Janus node holding the room, from the server's /healthz. */
async function busyNode(origin: string): Promise<string | undefined> {
  const health = await (await fetch(`${origin}/healthz`)).json();
  return (health.sfu as Array<{ url: string; participants: number }>)
    .find((n) => n.participants > 0)?.url;
}

Deno.test("a Janus node killed mid-call: the call resumes on the other node", async () => {
  const nodes = [
    await startJanus({ port: 8188, rtpPorts: "20000-29999" }),
    await startJanus({ port: 8288, rtpPorts: "30000-39999" }),
  ];
  const server = await startServerProcess({
    JANUS_URLS: nodes.map((n) => n.url).join(","),
    MESH_MAX: "2",
  });
  const crowd = await Crowd.open();
  const peers = crowd.peers;
  const room = `fail-${crypto.randomUUID().slice(0, 8)}`;
  try {
    for (const name of ["Ana", "Bo", "Cy"]) {
      await crowd.arrive(invite(server.origin, room, name), name);
    }
    const allSee = () =>
      Promise.all(peers.map(async (p) => (await playing(p.page)).length === 2))
        .then((ok) => ok.every(Boolean));
    await until(allSee, "three through the SFU", 30000);
    const busy = await until(() => busyNode(server.origin), "a node holds the room");
    const victim = nodes.find((n) => n.url === busy)!;
    const killedAt = Date.now();
    await victim.stop("SIGKILL");
    // The pictures go (their node is gone), then come back through the other node.
    await until(async () => !(await allSee()), "the pictures stop with their node", 10000);
    await until(allSee, "everyone again, through the other node", 20000);
    const took = Date.now() - killedAt;
    console.log(`resumed on the other node ${took} ms after the kill`);
    assert.ok(took <= 5000, `took ${took} ms`);
    assert.notEqual(await busyNode(server.origin), busy);
  } finally {
    await crowd.close();
    await server.stop();
    for (const n of nodes) await n.stop();
  }
});

Deno.test("the only Janus node gone: a small room goes back to the mesh, a big one waits", async () => {
  let janus = await startJanus({ port: 8188 });
  // A closed page's seat goes after a second (not the default 15 s of grace).
  const server = await startServerProcess({
    JANUS_URLS: janus.url,
    MESH_MAX: "2",
    RESUME_GRACE_MS: "1000",
  });
  const crowd = await Crowd.open();
  const big = `big-${crypto.randomUUID().slice(0, 8)}`;
  const small = `small-${crypto.randomUUID().slice(0, 8)}`;
  const arrive = (room: string, name: string) =>
    crowd.arrive(invite(server.origin, room, name), name);
  try {
    const bigRoom = [await arrive(big, "Ana"), await arrive(big, "Bo"), await arrive(big, "Cy")];
    const smallRoom = [
      await arrive(small, "Di"),
      await arrive(small, "Ed"),
      await arrive(small, "Flo"),
    ];
    for (const p of [...bigRoom, ...smallRoom]) {
      await until(async () => (await playing(p.page)).length === 2, "three see three", 30000);
      assert.equal(await mediaMode(p.page), "sfu");
    }
    // The small room shrinks to two: still in the SFU (for 10 s) when the node dies.
    await smallRoom.pop()!.close();
    await new Promise((r) => setTimeout(r, 2000));
    assert.equal(await mediaMode(smallRoom[0].page), "sfu");
    await janus.stop("SIGKILL");
    for (const p of smallRoom) {
      await until(async () => (await mediaMode(p.page)) === "mesh", "small room: mesh", 10000);
      await until(async () => (await playing(p.page)).length === 1, "two in a mesh", 20000);
    }
    for (const p of bigRoom) {
      await until(
        async () => /media server is unavailable/.test(await shownError(p.page)),
        "the big room says why video stopped",
        10000,
      );
      assert.equal(await mediaMode(p.page), "sfu");
    }
    // Nobody new gets into the big room while it cannot carry media.
    const late = await crowd.visit(invite(server.origin, big, "Gus"), "Gus");
    await until(
      async () => /media server is unavailable/.test(await shownError(late.page)),
      "a join refused with the reason",
      25000,
    );
    // The node comes back: the big room's video returns by itself.
    janus = await startJanus({ port: 8188 });
    for (const p of bigRoom) {
      await until(async () => (await playing(p.page)).length === 2, "video back", 30000);
    }
  } finally {
    await crowd.close();
    await server.stop();
    await janus.stop();
  }
});

/** Waits until `name`'s tile is the large one; a timeout says what showed instead. */
async function featured(page: Page, name: string): Promise<void> {
  await until(async () => (await shownFeatured(page)) === name, `${name} featured`).catch(
    async (err) => {
      const tiles = (await shownTiles(page)).map((t) => t.label).join(", ");
      const layout = await page.evaluate(() =>
        document.querySelector("video-room")!.shadowRoot!.querySelector("[part~=stage]")
          ?.getAttribute("class")
      );
      throw new Error(
        `${err.message}: "${await shownFeatured(page)}" is, of ${tiles} (stage: ${layout})`,
      );
    },
  );
}

/** Each remote camera tile's picture width (as decoded), by name. */
function tileWidths(page: Page): Promise<Record<string, number>> {
  return page.evaluate(() => {
    const out: Record<string, number> = {};
    const room = document.querySelector("video-room");
    for (const t of room?.shadowRoot?.querySelectorAll("peer-tile") ?? []) {
      const tile = t as HTMLElement & { name: string; local: boolean; screen: boolean };
      if (tile.local || tile.screen) continue;
      out[tile.name] = tile.shadowRoot?.querySelector("video")?.videoWidth ?? 0;
    }
    return out;
  });
}

Deno.test("simulcast: the featured tile gets the large layer, the filmstrip the small one", async () => {
  const janus = await startJanus({ port: 8188 });
  const server = await startServerProcess({ JANUS_URLS: janus.url, MESH_MAX: "2" });
  const crowd = await Crowd.open();
  const room = `layers-${crypto.randomUUID().slice(0, 8)}`;
  try {
    const ana = await crowd.arrive(invite(server.origin, room, "Ana"), "Ana");
    for (const name of ["Bo", "Cy"]) await crowd.arrive(invite(server.origin, room, name), name);
    await until(async () => (await playing(ana.page)).length === 2, "Ana sees both", 30000);
    // Ana, by hand: the speaker view, Bo pinned to the stage.
    // Pinned in the grid first: in the speaker view the stage changes hands as the fake
    // microphones beep, and a tile moving under the pointer takes the click meant for another.
    await choose(ana.page, "More actions for Bo", "Pin");
    await choose(ana.page, "More options", "Speaker view");
    await featured(ana.page, "Bo");
    const large = await until(
      async () => {
        const w = await tileWidths(ana.page);
        return w.Bo > 0 && w.Cy > 0 && w.Bo >= 2 * w.Cy && w;
      },
      "Bo in the large layer, Cy in the small one",
      20000,
    );
    console.log(`featured ${large.Bo} px wide, filmstrip ${large.Cy} px`);
    // The stage changes hands: the layers follow.
    await choose(ana.page, "More actions for Cy", "Pin");
    await until(
      async () => {
        const w = await tileWidths(ana.page);
        return w.Cy > 0 && w.Bo > 0 && w.Cy >= 2 * w.Bo;
      },
      "Cy large, Bo small now",
      20000,
    );
  } finally {
    await crowd.close();
    await server.stop();
    await janus.stop();
  }
});

Deno.test("Chromium and Firefox through Janus: everyone sees everyone; Firefox's layers follow the stage", async () => {
  const janus = await startJanus({ port: 8188 });
  const server = await startServerProcess({ JANUS_URLS: janus.url, MESH_MAX: "2" });
  const crowd = await Crowd.open();
  const room = `mixed-${crypto.randomUUID().slice(0, 8)}`;
  const arrive = (name: string, firefox: boolean) =>
    crowd.arrive(invite(server.origin, room, name), name, firefox);
  try {
    // One in Chromium, two in Firefox: past MESH_MAX, so through Janus.
    const people = [await arrive("Ana", false), await arrive("Bo", true), await arrive("Cy", true)];
    for (const p of people) {
      await until(async () => (await playing(p.page)).length === 2, "everyone sees two", 45000);
      assert.equal(await mediaMode(p.page), "sfu");
      // Media flows, so no tile says it is still connecting (those who came later neither).
      await until(
        () =>
          p.page.evaluate(() =>
            ![...document.querySelector("video-room")!.shadowRoot!.querySelectorAll("peer-tile")]
              .some((t) => t.shadowRoot!.querySelector('[part="status"]'))
          ),
        "no tile still 'Connecting…'",
        5000,
      );
    }
    // Firefox sends simulcast too: Ana features Bo, Cy sits in the filmstrip (both Firefox).
    const [ana, bo, cy] = people;
    // Pinned in the grid first: in the speaker view the stage changes hands as the fake
    // microphones beep, and a tile moving under the pointer takes the click meant for another.
    await choose(ana.page, "More actions for Bo", "Pin");
    await choose(ana.page, "More options", "Speaker view");
    await featured(ana.page, "Bo");
    const widths = await until(
      async () => {
        const w = await tileWidths(ana.page);
        return w.Bo > 0 && w.Cy > 0 && w.Bo >= 2 * w.Cy && w;
      },
      "Bo (Firefox) in the large layer, Cy (Firefox) in the small one",
      20000,
    );
    console.log(`from Firefox: featured ${widths.Bo} px wide, filmstrip ${widths.Cy} px`);
    // Firefox receives the layers too: Cy features Ana (Chromium), Bo in the filmstrip.
    // Pinned in the grid first: in the speaker view the stage changes hands as the fake
    // microphones beep, and a tile moving under the pointer takes the click meant for another.
    await choose(cy.page, "More actions for Ana", "Pin");
    await choose(cy.page, "More options", "Speaker view");
    await until(
      async () => {
        const w = await tileWidths(cy.page);
        return w.Ana > 0 && w.Bo > 0 && w.Ana >= 2 * w.Bo;
      },
      "Ana large in Firefox, Bo small",
      20000,
    );
    // Chat crosses browsers in an SFU room as well.
    await press(ana.page, "Chat");
    await press(bo.page, "Chat");
    await typeInto(bo.page, "Write a message", "from Firefox via Janus");
    await bo.page.keyboard.press("Enter");
    await until(
      async () => (await shownChat(ana.page)).some((m) => m.text === "from Firefox via Janus"),
      "Bo's message in Chromium",
    );
  } finally {
    await crowd.close();
    await server.stop();
    await janus.stop();
  }
});

Deno.test("cluster: one SFU room across two instances, with room tokens and an origin allowlist; a server recording of both", async () => {
  const redis = await startRedis();
  const recordings = await Deno.makeTempDir({ prefix: "vr-cluster-recordings-" });
  const nodes = [
    await startJanus({ port: 8188, rtpPorts: "20000-29999" }),
    await startJanus({ port: 8288, rtpPorts: "30000-39999" }),
  ];
  const secret = "s".repeat(40);
  const key = await importTokenSecret(secret);
  const env = {
    REDIS_URL: redis.url,
    REDIS_HEARTBEAT_MS: "200",
    JANUS_URLS: nodes.map((n) => n.url).join(","),
    MESH_MAX: "2",
    ROOM_TOKEN_SECRET: secret,
    // One folder for both (one disk): each instance records its own people there.
    RECORDINGS_DIR: recordings,
  };
  // Each instance allows pages from both (the pages come from the instances themselves).
  const ports = [freePort(), freePort()];
  const origins = ports.map((p) => `http://127.0.0.1:${p}`).join(",");
  const servers = [];
  // The nodes in opposite orders: left alone, each instance would pick its first.
  const urls = nodes.map((n) => n.url);
  for (const [i, port] of ports.entries()) {
    servers.push(
      await startServerProcess({
        ...env,
        JANUS_URLS: (i === 0 ? urls : [...urls].reverse()).join(","),
        PORT: String(port),
        ALLOWED_ORIGINS: origins,
      }),
    );
  }
  const crowd = await Crowd.open();
  const peers = crowd.peers;
  const room = `cl-${crypto.randomUUID().slice(0, 8)}`;
  try {
    // Ana and Cy on the first instance, Bo on the second: one room, one Janus node.
    for (const [name, server] of [["Ana", 0], ["Bo", 1], ["Cy", 0]] as const) {
      const exp = Math.floor(Date.now() / 1000) + 600;
      // Ana's token makes her a host.
      const token = await mintRoomToken(
        { room, exp, ...(name === "Ana" ? { role: "host" } : {}) },
        key,
      );
      await crowd.arrive(invite(servers[server].origin, room, name, token), name);
    }
    for (const p of peers) {
      await until(async () => (await playing(p.page)).length === 2, "three see three", 30000);
      assert.equal(await mediaMode(p.page), "sfu");
    }
    const held = await Promise.all(servers.map((s) => busyNode(s.origin)));
    assert.ok(held[0] && held[0] === held[1], `both instances use one node: ${held}`);
    // A join without a token is refused as before, SFU or not.
    const stranger = await crowd.visit(invite(servers[1].origin, room, "Eve"), "Eve");
    await until(
      async () => /Cannot join: this room needs a token/.test(await shownError(stranger.page)),
      "a join without a token refused",
      20000,
    );
    await stranger.close();
    // Ana records: Bo, on the other instance, is told and recorded there; the files are made
    // once, by whichever instance is the last out, and hosts get a link that either one serves.
    const [ana, bo] = peers;
    await choose(ana.page, "Host controls", "Record the meeting");
    await until(async () => (await shownText(bo.page)).includes("Recording"), "Bo told", 2000);
    await new Promise((r) => setTimeout(r, 5000));
    await choose(ana.page, "Host controls", "Stop recording");
    await until(
      async () => (await shownText(ana.page)).includes("Download"),
      "the file offered",
      60000,
    );
    const link = await ana.page.evaluate(() =>
      document.querySelector("video-room")!.shadowRoot!.querySelector<HTMLAnchorElement>(
        '[part="download"]',
      )!.href
    );
    const [id] = link.match(/\d{14}-[0-9a-f]{12}/)!;
    const people = await Array.fromAsync(Deno.readDir(`${recordings}/${id}/people`));
    assert.deepEqual([...new Set(people.map((e) => e.name.split("-")[0]))].sort(), [
      "Ana",
      "Bo",
      "Cy",
    ]);
    for (const origin of servers.map((s) => s.origin)) {
      const url = new URL(link);
      const res = await fetch(`${origin}${url.pathname}${url.search}`, {
        headers: { range: "bytes=0-3" },
      });
      assert.equal(res.status, 206, origin);
      // A WebM (EBML) file.
      assert.deepEqual([...new Uint8Array(await res.arrayBuffer())], [0x1a, 0x45, 0xdf, 0xa3]);
    }
  } finally {
    await crowd.close();
    for (const s of servers) await s.stop();
    for (const n of nodes) await n.stop();
    await redis.stop();
    await Deno.remove(recordings, { recursive: true });
  }
});

Deno.test("relay only (TURN): media to and from Janus goes through coturn", async () => {
  // coturn on the namespace's second address; the browsers may use nothing but its relays.
  const coturn = await startCoturn("10.99.0.2");
  const janus = await startJanus({ port: 8188 });
  const server = await startServerProcess({
    JANUS_URLS: janus.url,
    MESH_MAX: "2",
    TURN_URLS: `turn:10.99.0.2:${coturn.port}?transport=udp`,
    TURN_SECRET,
  });
  const crowd = await Crowd.open();
  const room = `relay-${crypto.randomUUID().slice(0, 8)}`;
  try {
    for (const name of ["Ana", "Bo", "Cy"]) {
      await crowd.arrive(`${invite(server.origin, room, name)}&relay=1`, name);
    }
    for (const p of crowd.peers) {
      await until(async () => (await playing(p.page)).length === 2, "three through relays", 30000);
      assert.equal(await mediaMode(p.page), "sfu");
      // Only the two connections to Janus are left, both through the relay.
      await until(
        async () => (await mediaCounters(p.page)).connections === 2,
        "the mesh connections gone",
        15000,
      );
      const { selectedPairs } = await mediaCounters(p.page);
      for (const pair of selectedPairs) assert.match(pair, /^relay\//, `via TURN: ${pair}`);
    }
  } finally {
    await crowd.close();
    await server.stop();
    await janus.stop();
    await coturn.stop();
  }
});

/**
 * A camera filming a whiteboard (lines of small writing, no person): sharp everywhere, so a
 * blurred background shows. Chromium's fake camera is mostly flat green.
 */
const whiteboardCamera = async (page: Page): Promise<void> => {
  await page.evaluateOnNewDocument(() => {
    const devices = navigator.mediaDevices;
    const original = devices.getUserMedia.bind(devices);
    devices.getUserMedia = async (constraints?: MediaStreamConstraints) => {
      const stream = constraints?.audio
        ? await original({ audio: constraints.audio })
        : new MediaStream();
      if (!constraints?.video) return stream;
      const canvas = document.createElement("canvas");
      canvas.width = 640;
      canvas.height = 360;
      const ctx = canvas.getContext("2d")!;
      let n = 0;
      setInterval(() => {
        ctx.fillStyle = "#e8e8e4";
        ctx.fillRect(0, 0, 640, 360);
        ctx.fillStyle = "#222";
        ctx.font = "12px monospace";
        for (let y = 16; y < 360; y += 16) {
          ctx.fillText(
            `plan q3: effects, tests, docs #${(y + n) % 97} owner: team ${y % 13}`,
            8,
            y,
          );
        }
        n++;
      }, 33);
      stream.addTrack(canvas.captureStream(30).getVideoTracks()[0]);
      return stream;
    };
  });
};

/** How sharp someone's tile looks (mean brightness step between neighbouring pixels, 0–255). */
function tileSharpness(page: Page, name: string): Promise<number> {
  return page.evaluate((name) => {
    const room = document.querySelector("video-room");
    const tile = [...room?.shadowRoot?.querySelectorAll("peer-tile") ?? []].find((t) =>
      (t as HTMLElement & { name: string; screen: boolean }).name === name &&
      !(t as HTMLElement & { screen: boolean }).screen
    );
    const video = tile?.shadowRoot?.querySelector("video");
    if (!video || !video.videoWidth) return -1;
    const canvas = document.createElement("canvas");
    canvas.width = 320;
    canvas.height = 180;
    const ctx = canvas.getContext("2d", { willReadFrequently: true })!;
    ctx.drawImage(video, 0, 0, 320, 180);
    const { data } = ctx.getImageData(0, 0, 320, 180);
    const luma = (i: number) => 0.299 * data[i] + 0.587 * data[i + 1] + 0.114 * data[i + 2];
    let steps = 0;
    let n = 0;
    for (let y = 0; y < 179; y++) {
      for (let x = 0; x < 319; x++) {
        const i = (y * 320 + x) * 4;
        steps += Math.abs(luma(i) - luma(i + 4)) + Math.abs(luma(i) - luma(i + 1280));
        n++;
      }
    }
    return steps / n / 2;
  }, name);
}

Deno.test("a blurred background through Janus: both simulcast layers carry it", async () => {
  const janus = await startJanus({ port: 8188 });
  const server = await startServerProcess({ JANUS_URLS: janus.url, MESH_MAX: "2" });
  const crowd = await Crowd.open();
  const room = `blur-${crypto.randomUUID().slice(0, 8)}`;
  try {
    const ana = await crowd.arrive(
      invite(server.origin, room, "Ana"),
      "Ana",
      false,
      whiteboardCamera,
    );
    for (const name of ["Bo", "Cy"]) {
      await crowd.arrive(invite(server.origin, room, name), name, false, whiteboardCamera);
    }
    await until(async () => (await mediaMode(ana.page)) === "sfu", "the room in the SFU", 30000);
    await until(async () => (await playing(ana.page)).length === 2, "Ana sees both", 30000);
    // Bo, by hand: More options → Settings → Blur.
    const bo = crowd.peers[1];
    await choose(bo.page, "More options", "Settings");
    await press(bo.page, "Blur");
    // Ana features Bo (the large layer); Cy sees him in the grid's small one.
    // Pinned in the grid first: in the speaker view the stage changes hands as the fake
    // microphones beep, and a tile moving under the pointer takes the click meant for another.
    await choose(ana.page, "More actions for Bo", "Pin");
    await choose(ana.page, "More options", "Speaker view");
    await featured(ana.page, "Bo");
    const cy = crowd.peers[2];
    let last = {};
    const seen = await until(
      async () => {
        const [large, small, plain] = [
          await tileSharpness(ana.page, "Bo"),
          await tileSharpness(cy.page, "Bo"),
          await tileSharpness(ana.page, "Cy"),
        ];
        const widths = await tileWidths(ana.page);
        last = { large, small, plain, widths };
        return large >= 0 && small >= 0 && plain > 0 && large < plain / 3 &&
          small < plain / 3 && widths.Bo >= 2 * widths.Cy &&
          { large, small, plain, widths };
      },
      "Bo blurred in both layers, Cy sharp",
      30000,
    ).catch((err) => {
      throw new Error(`${err.message}: ${JSON.stringify(last)}`);
    });
    console.log(
      `through Janus: Bo ${seen.large.toFixed(1)} (${seen.widths.Bo} px) and ${
        seen.small.toFixed(1)
      } (at Cy's), Cy unblurred ${seen.plain.toFixed(1)}`,
    );
  } finally {
    await crowd.close();
    await server.stop();
    await janus.stop();
  }
});
