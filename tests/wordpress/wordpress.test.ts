/**
 * The WordPress plugin on a real WordPress (Debian's 6.1, MariaDB, PHP's
 * built-in server), as a site owner and their visitors use it: the admin
 * uploads the zip and activates it, sets the server and secret under
 * Settings → Video rooms; an author's shortcode post and an editor's block
 * post, written in the block editor, show the element to a visitor; an editor who logged in and an anonymous visitor
 * meet there, the editor hosting; what must be refused is; hostile shortcode
 * attributes stay inert; deleting the plugin removes its options; and the
 * plugin's own files log no notice or warning.
 */
import assert from "node:assert/strict";
import type { Browser, BrowserContext, Page } from "puppeteer-core";
import { launchBrowser, startServerProcess, until } from "../e2e/harness.ts";
import { press, shownTiles, typeInto } from "../e2e/by-hand.ts";
import { canRunWordPress, startWordPress, type WordPressSite } from "../shared/wordpress-site.ts";

const root = new URL("../..", import.meta.url).pathname;
const includes = (text: string, part: string) =>
  assert.ok(text.includes(part), `expected ${JSON.stringify(part)} in ${text.slice(0, 300)}…`);
const ADMIN = { user: "admin", password: "admin-pass-8f3k", email: "admin@example.com" };
const EDITOR = { user: "edna", password: "edna-pass-2k9d", display: "Edna Editor" };
const AUTHOR = { user: "arthur", password: "arthur-pass-7q1z" };

async function buildZip(): Promise<string> {
  const out = await new Deno.Command("deno", {
    args: ["run", "--allow-read", "--allow-write", `${root}scripts/build-wordpress.ts`],
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!out.success) throw new Error(new TextDecoder().decode(out.stderr));
  return `${root}dist/video-room-wordpress.zip`;
}

/** Logs in through wp-login.php as a person does, in a context of its own. */
async function logIn(browser: Browser, site: WordPressSite, user: string, password: string) {
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  await page.goto(`${site.origin}/wp-login.php`);
  // The page focuses and selects the user field a moment after load: type after that.
  await page.waitForFunction(() => document.activeElement?.id === "user_login");
  await page.type("#user_login", user);
  await page.type("#user_pass", password);
  await Promise.all([page.waitForNavigation(), page.click("#wp-submit")]);
  assert(page.url().includes("/wp-admin"), `${user} logged in (at ${page.url()})`);
  return { context, page };
}

/**
 * The editor writes a post in the block editor as a person does: the title, "/video room" to
 * insert the block, its room and layout in the sidebar, Publish twice. Returns the post's id.
 */
async function blockPostByHand(
  browser: Browser,
  site: WordPressSite,
  title: string,
  room: string,
  layout: string,
): Promise<number> {
  const { context, page } = await logIn(browser, site, EDITOR.user, EDITOR.password);
  try {
    await page.goto(`${site.origin}/wp-admin/post-new.php`);
    await page.locator("::-p-aria([name='Close dialog'][role='button'])").setTimeout(30000).click();
    await page.locator("::-p-aria([name='Add title'])").click();
    await page.keyboard.type(title);
    await page.keyboard.press("Enter");
    await page.keyboard.type("/video room");
    await page.locator('[role=option][id*="video-room/room"]').setTimeout(10000).wait();
    await page.keyboard.press("Enter");
    // The sidebar's fields, by their labels (uppercased by CSS, named as written).
    await page.locator("::-p-xpath(//label[normalize-space()='Room name'])").setTimeout(10000)
      .click();
    await page.keyboard.type(room);
    const select = await page.waitForSelector(
      "::-p-xpath(//label[normalize-space()='Layout']/following::select[1])",
    );
    const value = await select!.evaluate(
      (el, layout) => [...(el as HTMLSelectElement).options].find((o) => o.text === layout)!.value,
      layout,
    );
    await select!.select(value);
    await page.locator("::-p-aria([name='Publish'][role='button'])").click();
    await page.locator(".editor-post-publish-panel .editor-post-publish-button").setTimeout(10000)
      .click();
    await page.waitForFunction(() => document.body.innerText.includes("is now live"), {
      timeout: 15000,
    });
    return Number(new URL(page.url()).searchParams.get("post"));
  } finally {
    await context.close();
  }
}

async function visitor(browser: Browser): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.createBrowserContext();
  return { context, page: await context.newPage() };
}

/** The attributes of the first <video-room> in a page's HTML, as the server printed them. */
function roomTag(html: string): Record<string, string> | null {
  const tag = html.match(/<video-room\b[^>]*>/)?.[0];
  if (!tag) return null;
  return Object.fromEntries(
    [...tag.matchAll(/\s([a-z-]+)(?:="([^"]*)")?/g)].map((m) => [m[1], m[2] ?? ""]),
  );
}

Deno.test({
  name: "the WordPress plugin on a real WordPress",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    assert(
      canRunWordPress(),
      "WordPress tests need Debian's wordpress, php-cli, php-mysql and mariadb-server (.ci/run installs them)",
    );
    const zip = await buildZip();
    const secret = crypto.randomUUID() + crypto.randomUUID();
    const server = await startServerProcess({ ROOM_TOKEN_SECRET: secret });
    const site = await startWordPress({ admin: ADMIN });
    const browser = await launchBrowser();
    const wsUrl = `ws://127.0.0.1:${server.port}/ws`;
    const posts: Record<string, number> = {};
    try {
      await site.php(`
        wp_insert_user(['user_login' => '${EDITOR.user}', 'user_pass' => '${EDITOR.password}',
          'display_name' => '${EDITOR.display}', 'user_email' => 'edna@example.com', 'role' => 'editor']);
        wp_insert_user(['user_login' => '${AUTHOR.user}', 'user_pass' => '${AUTHOR.password}',
          'user_email' => 'arthur@example.com', 'role' => 'author']);
      `);
      const admin = await logIn(browser, site, ADMIN.user, ADMIN.password);

      await t.step(
        "the admin uploads the zip, activates it and sets the server and secret",
        async () => {
          const page = admin.page;
          await page.goto(`${site.origin}/wp-admin/plugin-install.php?tab=upload`);
          const input = await page.waitForSelector("#pluginzip");
          await (input as unknown as { uploadFile(path: string): Promise<void> }).uploadFile(zip);
          await Promise.all([page.waitForNavigation(), page.click("#install-plugin-submit")]);
          includes(await page.content(), "Plugin installed successfully.");
          await Promise.all([
            page.waitForNavigation(),
            page.click("a.button-primary[href*='action=activate']"),
          ]);
          includes(await page.content(), "Plugin activated.");

          await page.goto(`${site.origin}/wp-admin/options-general.php?page=video-room`);
          await page.type("#video_room_server", wsUrl);
          await page.type("#video_room_token_secret", secret);
          await Promise.all([page.waitForNavigation(), page.click("#submit")]);
          const html = await page.content();
          includes(html, "Settings saved.");
          assert(!html.includes(secret), "the secret is never sent back into the page");
          assert.deepEqual(
            await page.$eval("#video_room_server", (el) => (el as HTMLInputElement).value),
            wsUrl,
          );
          // Saving again with the secret's field left empty keeps it.
          await Promise.all([page.waitForNavigation(), page.click("#submit")]);
          assert.deepEqual(
            await site.php("echo get_option('video_room_token_secret');"),
            secret,
          );
        },
      );

      await t.step(
        "posts by an author (shortcode) and an editor (block) show the room to a visitor",
        async () => {
          const made = await site.php(`
          $author = get_user_by('login', '${AUTHOR.user}');
          $editor = get_user_by('login', '${EDITOR.user}');
          wp_set_current_user($author->ID); // as the author: KSES filters the content
          $short = wp_insert_post(['post_title' => 'Weekly call', 'post_status' => 'publish',
            'post_content' => '<p>Join us.</p><script>window.authorScript = 1</script>[video_room room="weekly-call" layout="grid" height="500px"]']);
          wp_set_current_user($editor->ID);
          $plain = wp_insert_post(['post_title' => 'No meeting', 'post_status' => 'publish',
            'post_content' => '<p>Nothing to join here.</p>']);
          $draft = wp_insert_post(['post_title' => 'Draft', 'post_status' => 'draft',
            'post_content' => '[video_room room="secret-plans"]']);
          echo json_encode(compact('short', 'plain', 'draft'));
        `);
          Object.assign(posts, JSON.parse(made));
          posts.block = await blockPostByHand(browser, site, "Team sync", "team-sync", "Speaker");

          const anon = await visitor(browser);
          try {
            for (
              const [post, room, layout] of [
                [posts.short, "weekly-call", "grid"],
                [posts.block, "team-sync", "speaker"],
              ] as const
            ) {
              const res = await anon.page.goto(`${site.origin}/?p=${post}`);
              const tag = roomTag(await res!.text());
              assert(tag, `post ${post} prints a <video-room>`);
              assert.deepEqual(tag.room, room);
              assert.deepEqual(tag.server, wsUrl);
              assert.deepEqual(tag.layout, layout);
              assert.match(tag["token-url"], /video-room(\/|%2F)v1(\/|%2F)token.*post=\d+/);
              // The bundle from the plugin itself, as a module, and the pre-join screen drawn.
              await until(
                () =>
                  anon.page.evaluate(() =>
                    !!document.querySelector("video-room")?.shadowRoot?.querySelector("h2")
                  ),
                `the pre-join screen of ${room}`,
              );
              const scripts = await anon.page.$$eval(
                "script[src*='video-room']",
                (s) => s.map((e) => `${e.getAttribute("type")} ${e.getAttribute("src")}`),
              );
              assert(
                scripts.some((s) =>
                  /^module .*\/wp-content\/plugins\/video-room\/build\/video-room\.js/.test(s)
                ),
                `the bundle is a module from the plugin: ${scripts}`,
              );
            }
            assert.deepEqual(await anon.page.evaluate(() => "authorScript" in window), false);
            const shortHtml = await (await fetch(`${site.origin}/?p=${posts.short}`)).text();
            includes(roomTag(shortHtml)!.style, "--video-room-height: 500px");
            assert(
              !shortHtml.includes("<script>window.authorScript"),
              "KSES removed the author's script",
            );
            // A page without a room loads none of it.
            const plain = await (await fetch(`${site.origin}/?p=${posts.plain}`)).text();
            assert(!plain.includes("video-room.js"), "no bundle on a page without a room");
          } finally {
            await anon.context.close();
          }
        },
      );

      await t.step(
        "an editor who logged in and an anonymous visitor meet; the editor hosts",
        async () => {
          const editor = await logIn(browser, site, EDITOR.user, EDITOR.password);
          const guest = await visitor(browser);
          try {
            const shown = await editor.page.goto(`${site.origin}/?p=${posts.block}`);
            // Nothing per user in the page (it stays cacheable): the editor's tag is the visitor's.
            const anonymous = await (await fetch(`${site.origin}/?p=${posts.block}`)).text();
            assert.deepEqual(roomTag(await shown!.text()), roomTag(anonymous));
            await typeInto(editor.page, "Your name", "Edna");
            await press(editor.page, "Join");
            await guest.page.goto(`${site.origin}/?p=${posts.block}`);
            await typeInto(guest.page, "Your name", "Vera");
            await press(guest.page, "Join");
            for (
              const [page, other] of [[editor.page, "Vera"], [guest.page, EDITOR.display]] as const
            ) {
              await until(
                async () => (await shownTiles(page)).some((t) => t.label === other && t.playing),
                `${other}'s video on the other screen`,
                30000,
              );
            }
            const role = (page: Page) =>
              page.evaluate(() =>
                (document.querySelector("video-room") as Element & { role: string }).role
              );
            assert.deepEqual(await role(editor.page), "host");
            assert.deepEqual(await role(guest.page), "guest");
            // And as each sees it: host controls for the editor only.
            await press(editor.page, "Host controls");
            assert.deepEqual(
              await guest.page.evaluate(() =>
                [...document.querySelector("video-room")!.shadowRoot!.querySelectorAll("button")]
                  .some((b) => b.textContent?.trim() === "Host controls")
              ),
              false,
            );
          } finally {
            await editor.context.close();
            await guest.context.close();
          }
        },
      );

      await t.step("tokens only for rooms a published post shows", async () => {
        const ask = (query: string, body: unknown) =>
          fetch(`${site.origin}/?rest_route=/video-room/v1/token&${query}`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify(body),
          }).then(async (r) => ({ status: r.status, body: await r.json() }));
        const ok = await ask(`post=${posts.short}`, { room: "weekly-call", name: "Vera" });
        assert.deepEqual(ok.status, 200);
        const claims = JSON.parse(
          atob(ok.body.token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/")),
        );
        assert.deepEqual(claims.room, "weekly-call");
        assert.deepEqual(claims.role, "guest");
        assert(claims.exp - Date.now() / 1000 <= 300, "short-lived");
        assert.deepEqual((await ask(`post=${posts.short}`, { room: "team-sync" })).status, 403);
        assert.deepEqual((await ask(`post=${posts.draft}`, { room: "secret-plans" })).status, 403);
        assert.deepEqual((await ask(`post=${posts.plain}`, { room: "anything" })).status, 403);
        assert.deepEqual((await ask(`post=${posts.short}`, { room: "bad room!" })).status, 400);
      });

      await t.step("the settings refuse an editor and a bad nonce", async () => {
        const editor = await logIn(browser, site, EDITOR.user, EDITOR.password);
        try {
          const res = await editor.page.goto(
            `${site.origin}/wp-admin/options-general.php?page=video-room`,
          );
          assert.deepEqual(res!.status(), 403);
          const post = (page: Page, nonce: string, server: string) =>
            page.evaluate(
              async (nonce, server) => {
                const form = new URLSearchParams({
                  option_page: "video_room",
                  action: "update",
                  _wpnonce: nonce,
                  _wp_http_referer: "/wp-admin/options-general.php?page=video-room",
                  video_room_server: server,
                });
                const r = await fetch("/wp-admin/options.php", { method: "POST", body: form });
                return { status: r.status, saved: r.url.includes("settings-updated=true") };
              },
              nonce,
              server,
            );
          const evil = "wss://evil.example/ws";
          assert.deepEqual(await post(editor.page, "0123456789", evil), {
            status: 403,
            saved: false,
          });
          await admin.page.goto(`${site.origin}/wp-admin/options-general.php?page=video-room`);
          assert.deepEqual(await post(admin.page, "0123456789", evil), {
            status: 403,
            saved: false,
          });
          assert.deepEqual(await site.php("echo get_option('video_room_server');"), wsUrl);
          // The form's own nonce is what makes a save go through (the same URL, saved again).
          const nonce = await admin.page.$eval(
            "input[name=_wpnonce]",
            (i) => (i as HTMLInputElement).value,
          );
          assert.deepEqual(await post(admin.page, nonce, wsUrl), { status: 200, saved: true });
        } finally {
          await editor.context.close();
        }
      });

      await t.step("hostile attributes, in a shortcode or a block, render inert", async () => {
        const contents = {
          shortcode:
            `[video_room room="safe-room" layout='grid" onmouseover="window.pwned=1' height='1px;background:url(x)' lang='de" autofocus onfocus="window.pwned=2']`,
          block: `<!-- wp:video-room/room ${
            JSON.stringify({
              room: "block-room",
              layout: 'grid" onmouseover="window.pwned=3',
              height: "1px;background:url(x)",
              lang: 'de"><script>window.pwned=4</script>',
            })
          } /-->`,
          badRoom: `<!-- wp:video-room/room ${
            JSON.stringify({ room: '"><img src=x onerror=window.pwned=5>' })
          } /-->`,
        };
        // As an admin (no KSES): the plugin gets the text as written.
        const ids: Record<keyof typeof contents, number> = JSON.parse(
          await site.php(`
            wp_set_current_user(1);
            $ids = [];
            foreach (json_decode(base64_decode('${
            btoa(JSON.stringify(contents))
          }'), true) as $k => $c) {
              $ids[$k] = wp_insert_post(['post_title' => $k, 'post_status' => 'publish',
                'post_content' => wp_slash($c)]);
            }
            echo json_encode($ids);
          `),
        );
        const anon = await visitor(browser);
        try {
          for (const [post, room] of [[ids.shortcode, "safe-room"], [ids.block, "block-room"]]) {
            const res = await anon.page.goto(`${site.origin}/?p=${post}`);
            const html = await res!.text();
            const tag = roomTag(html);
            assert(tag, `post ${post} shows its room`);
            assert.deepEqual(tag.room, room);
            // What the element does not accept is left out, never passed on.
            assert.deepEqual([tag.layout, tag.style, tag.lang], [undefined, undefined, undefined]);
            assert(!html.includes("<script>window.pwned"), "no script from an attribute");
            assert(
              !/<video-room[^>]*on(mouseover|focus)/.test(html),
              "no handler from an attribute",
            );
          }
          const res = await anon.page.goto(`${site.origin}/?p=${ids.badRoom}`);
          assert.deepEqual(roomTag(await res!.text()), null, "a bad room shows a visitor nothing");
          await new Promise((r) => setTimeout(r, 500));
          assert.deepEqual(await anon.page.evaluate(() => "pwned" in window), false);
          // Whoever can fix it is told why, as text.
          await admin.page.goto(`${site.origin}/?p=${ids.badRoom}`);
          const problem = await admin.page.$eval(".video-room-problem", (p) => ({
            text: p.textContent!,
            elements: p.children.length,
          }));
          includes(problem.text, "Cannot show the video room");
          includes(problem.text, "<img src=x onerror=window.pwned=5>");
          assert.deepEqual(problem.elements, 0);
          assert.deepEqual(await admin.page.evaluate(() => "pwned" in window), false);
        } finally {
          await anon.context.close();
        }
      });

      await t.step("the token route is rate-limited", async () => {
        let limited = 0;
        for (let i = 0; i < 40 && !limited; i++) {
          const r = await fetch(
            `${site.origin}/?rest_route=/video-room/v1/token&post=${posts.short}`,
            {
              method: "POST",
              headers: { "content-type": "application/json" },
              body: JSON.stringify({ room: "weekly-call" }),
            },
          );
          await r.body?.cancel();
          if (r.status === 429) limited = i + 1;
        }
        assert(limited > 0, "429 after too many asks");
      });

      await t.step("deleting the plugin removes its options", async () => {
        const page = admin.page;
        await page.goto(`${site.origin}/wp-admin/plugins.php`);
        await Promise.all([
          page.waitForNavigation(),
          page.click("tr[data-slug='video-room'] .deactivate a"),
        ]);
        page.once("dialog", (d) => d.accept());
        await page.click("tr[data-slug='video-room'] .delete a");
        await until(
          () => page.evaluate(() => document.body.innerText.includes("was successfully deleted")),
          "the plugin deleted",
          20000,
        ).catch(async (e) => {
          console.log(await page.evaluate(() => document.querySelector("#the-list")?.innerHTML));
          throw e;
        });
        const left = JSON.parse(
          await site.php(`
          global $wpdb;
          echo json_encode([
            'server' => get_option('video_room_server', null),
            'secret' => get_option('video_room_token_secret', null),
            'rates' => (int) $wpdb->get_var("SELECT COUNT(*) FROM {$wpdb->options} WHERE option_name LIKE '%video_room%'"),
            'files' => file_exists(WP_PLUGIN_DIR . '/video-room'),
          ]);
        `),
        );
        assert.deepEqual(left, { server: null, secret: null, rates: 0, files: false });
      });

      await t.step("no PHP notice or warning from the plugin's own files", async () => {
        const ours = (await site.debugLog()).split("\n").filter((l) =>
          l.includes("/plugins/video-room/")
        );
        assert.deepEqual(ours, []);
      });
    } finally {
      await browser.close();
      await site.stop();
      await server.stop();
    }
  },
});
