/**
 * Debian's WebKitGTK (Safari's engine) for the tests: a private X display
 * (Xvfb), WebKitWebDriver on a free loopback port, and its MiniBrowser with
 * mock camera and microphone, driven over plain W3C WebDriver (fetch). This
 * build has no WebRTC; see ../shared/browser-testing.md.
 *
 * Controls are found the way a person finds them (a button by its accessible
 * name, through shadow roots) and clicked and typed into through WebDriver's
 * own element commands, which act as a person's input does.
 */

const MINIBROWSER = "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser";
/** The key WebDriver wraps an element reference in. */
const ELEMENT = "element-6066-11e4-a52e-4f735466cecf";

/** Whether this machine can run the WebKit checks (`.ci/run` installs what they need). */
export function webkitAvailable(): boolean {
  try {
    return Deno.statSync(MINIBROWSER).isFile && Deno.statSync("/usr/bin/WebKitWebDriver").isFile;
  } catch {
    return false;
  }
}

type ElementRef = { [ELEMENT]: string };

export class WebKitPage {
  constructor(
    readonly base: string,
    readonly session: string,
    readonly close: () => Promise<void>,
  ) {}

  async #call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.base}/session/${this.session}${path}`, {
      method,
      headers: { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = await response.json();
    if (!response.ok) {
      throw new Error(`WebDriver ${method} ${path}: ${json.value?.error} ${json.value?.message}`);
    }
    return json.value as T;
  }

  goto(url: string): Promise<void> {
    return this.#call("POST", "/url", { url });
  }

  /** Resizes the browser window (MiniBrowser keeps a toolbar above the page). */
  resize(width: number, height: number): Promise<void> {
    return this.#call("POST", "/window/rect", { width, height });
  }

  /** Runs `body` (a function body; `arguments` holds `args`) in the page and returns its result. */
  evaluate<T>(body: string, ...args: unknown[]): Promise<T> {
    return this.#call("POST", "/execute/sync", { script: body, args });
  }

  /** Like evaluate, for an async body: its promise is awaited in the page. */
  evaluateAsync<T>(body: string, ...args: unknown[]): Promise<T> {
    const script = `const done = arguments[arguments.length - 1];
      (async (...args) => { ${body} })(...Array.from(arguments).slice(0, -1))
        .then((v) => done({ ok: v }), (e) => done({ error: String(e && e.stack || e) }));`;
    return this.#call<{ ok?: T; error?: string }>("POST", "/execute/async", { script, args })
      .then((r) => {
        if (r.error !== undefined) throw new Error(`in the page: ${r.error}`);
        return r.ok as T;
      });
  }

  /**
   * The visible element of `role` (button, menuitem, textbox) named `name`,
   * in the document or any open shadow root, as a screen reader names it
   * (aria-label, a field's label, else its text); null if none.
   */
  async find(role: "button" | "menuitem" | "textbox", name: string): Promise<ElementRef | null> {
    return await this.evaluate<ElementRef | null>(
      `const [role, name] = arguments;
      const all = [];
      const walk = (root) => {
        for (const el of root.querySelectorAll("*")) {
          all.push(el);
          if (el.shadowRoot) walk(el.shadowRoot);
        }
      };
      walk(document);
      const roleOf = (el) => el.getAttribute("role") ??
        (el.tagName === "BUTTON" ? "button" : /^(INPUT|TEXTAREA)$/.test(el.tagName) ? "textbox" : "");
      const nameOf = (el) => (el.getAttribute("aria-label") ??
        (el.closest("label")?.textContent ?? el.textContent)).replace(/\\s+/g, " ").trim();
      return all.find((el) => roleOf(el).startsWith(role) && el.getClientRects().length > 0 &&
        (role === "textbox" ? nameOf(el).startsWith(name) : nameOf(el) === name)) ?? null;`,
      role,
      name,
    );
  }

  async #found(role: "button" | "menuitem" | "textbox", name: string): Promise<string> {
    const deadline = Date.now() + 10000;
    for (;;) {
      const el = await this.find(role, name);
      if (el) return el[ELEMENT];
      if (Date.now() > deadline) throw new Error(`no ${role} "${name}" on the page`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Clicks the control `name` as a person does (WebDriver's element click). */
  async press(name: string, role: "button" | "menuitem" = "button"): Promise<void> {
    await this.#call("POST", `/element/${await this.#found(role, name)}/click`, {}).catch((e) => {
      throw new Error(`Cannot press ${role} "${name}": ${e.message}`);
    });
  }

  /** Types into the field labelled `label`, key by key. */
  async typeInto(label: string, text: string): Promise<void> {
    // Sending keys focuses the field first, as a click would.
    await this.#call("POST", `/element/${await this.#found("textbox", label)}/value`, { text });
  }

  /** A PNG of what the page shows. */
  async screenshot(): Promise<Uint8Array> {
    const b64 = await this.#call<string>("GET", "/screenshot");
    return Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  }
}

/** Starts Xvfb, WebKitWebDriver and a MiniBrowser session; `close()` stops all three. */
export async function launchWebKit(): Promise<WebKitPage> {
  const xvfb = new Deno.Command("Xvfb", {
    // -displayfd: Xvfb picks a free display and says which on stdout.
    args: ["-displayfd", "1", "-screen", "0", "1600x1000x24", "-nolisten", "tcp"],
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const stop: Array<() => Promise<unknown>> = [async () => {
    xvfb.kill();
    await xvfb.status;
  }];
  const closeAll = async () => {
    for (const s of stop.splice(0).reverse()) await s().catch(() => {});
  };
  try {
    const reader = xvfb.stdout.getReader();
    let said = "";
    const deadline = Date.now() + 10000;
    while (!said.includes("\n")) {
      if (Date.now() > deadline) throw new Error("Xvfb did not start");
      const { value, done } = await reader.read();
      if (done) throw new Error("Xvfb exited");
      said += new TextDecoder().decode(value);
    }
    reader.releaseLock();
    void xvfb.stdout.cancel().catch(() => {});
    const display = `:${said.trim()}`;
    const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const port = listener.addr.port;
    listener.close();
    const driver = new Deno.Command("WebKitWebDriver", {
      args: [`--port=${port}`, "--host=local"],
      env: { DISPLAY: display },
      stdout: "null",
      stderr: "null",
    }).spawn();
    stop.push(async () => {
      driver.kill();
      await driver.status;
    });
    const base = `http://127.0.0.1:${port}`;
    for (let i = 0;; i++) {
      const up = await fetch(`${base}/status`).then((r) => r.body?.cancel().then(() => true))
        .catch(() => false);
      if (up) break;
      if (i > 100) throw new Error("WebKitWebDriver did not start");
      await new Promise((r) => setTimeout(r, 100));
    }
    const response = await fetch(`${base}/session`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        capabilities: {
          alwaysMatch: {
            "webkitgtk:browserOptions": {
              binary: MINIBROWSER,
              args: [
                "--automation",
                "--enable-media-stream=true",
                "--enable-mock-capture-devices=true",
                "--enable-media=true",
                "--media-playback-requires-user-gesture=false",
              ],
            },
          },
        },
      }),
    });
    const { value } = await response.json();
    if (!response.ok) throw new Error(`Cannot start WebKit: ${value?.message}`);
    const session = value.sessionId as string;
    stop.push(() =>
      fetch(`${base}/session/${session}`, { method: "DELETE" }).then((r) => r.body?.cancel())
    );
    return new WebKitPage(base, session, closeAll);
  } catch (e) {
    await closeAll();
    throw e;
  }
}
