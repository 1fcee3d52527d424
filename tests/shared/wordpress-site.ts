/**
 * A real WordPress for a test: Debian's packages (wordpress, php-cli,
 * php-mysql, mariadb-server), a private MariaDB on a socket, PHP's built-in
 * server on a free loopback port, and a private wp-content (so plugins and
 * uploads never touch the machine's own). The one file written outside the
 * test's folder is Debian's per-host config, /etc/wordpress/config-127.0.0.1.php,
 * removed again by stop(). Recipe and traps: ../shared/wordpress-notes.md.
 */
import { until } from "./until.ts";

const WP = "/usr/share/wordpress";
const CONFIG = "/etc/wordpress/config-127.0.0.1.php";

export interface WordPressSite {
  origin: string;
  /** Runs PHP inside WordPress (as `wp eval` would) and returns what it printed. */
  php(code: string): Promise<string>;
  /** The site's debug log (notices, warnings, deprecations). */
  debugLog(): Promise<string>;
  /** The private wp-content folder (plugins are installed below it). */
  contentDir: string;
  stop(): Promise<void>;
}

/** Whether this machine has what a WordPress test needs. */
export function canRunWordPress(): boolean {
  return ["/usr/sbin/mariadbd", "/usr/bin/mariadb-install-db", "/usr/bin/php", `${WP}/wp-load.php`]
    .every((path) => {
      try {
        Deno.statSync(path);
        return true;
      } catch {
        return false;
      }
    });
}

async function run(cmd: string, args: string[], input?: string): Promise<string> {
  const child = new Deno.Command(cmd, {
    args,
    stdin: input === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  if (input !== undefined) {
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(input));
    await writer.close();
  }
  const out = await child.output();
  const text = new TextDecoder().decode(out.stdout);
  if (!out.success) {
    throw new Error(
      `${cmd} ${args.join(" ")} failed: ${new TextDecoder().decode(out.stderr)}${text}`,
    );
  }
  return text;
}

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

const salt = () => crypto.randomUUID() + crypto.randomUUID();

export async function startWordPress(
  options: { admin: { user: string; password: string; email: string } },
): Promise<WordPressSite> {
  const dir = await Deno.makeTempDir({ prefix: "vr-wordpress-" });
  await Deno.chmod(dir, 0o755); // the mysql user goes through it to its folders
  const cleanups: Array<() => Promise<unknown> | unknown> = [
    () => Deno.remove(dir, { recursive: true }),
  ];
  const stop = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) {
      try {
        await cleanup();
      } catch { /* best effort: the rest still runs */ }
    }
  };
  try {
    // MariaDB, on a socket in the test's folder, owned by the mysql user.
    const db = `${dir}/db`, mysqld = `${dir}/mysqld`, sock = `${mysqld}/sock`;
    await Deno.mkdir(db);
    await Deno.mkdir(mysqld);
    await run("chown", ["mysql:mysql", db, mysqld]);
    await run("mariadb-install-db", [
      "--no-defaults",
      "--user=mysql",
      `--datadir=${db}`,
      "--auth-root-authentication-method=socket",
      "--skip-test-db",
    ]);
    const mariadb = new Deno.Command("mariadbd", {
      args: [
        "--no-defaults",
        "--user=mysql",
        `--datadir=${db}`,
        `--socket=${sock}`,
        `--pid-file=${mysqld}/pid`,
        "--skip-networking",
        `--log-error=${mysqld}/err`,
        "--innodb-buffer-pool-size=64M",
        "--innodb-flush-log-at-trx-commit=0",
        "--skip-innodb-doublewrite",
      ],
      stdout: "null",
      stderr: "null",
    }).spawn();
    cleanups.push(async () => {
      mariadb.kill("SIGTERM");
      await mariadb.status;
    });
    await until(
      () =>
        run("mariadb-admin", ["--no-defaults", `--socket=${sock}`, "-uroot", "ping"]).then(
          () => true,
          () => false,
        ),
      "MariaDB answering",
      30000,
    );
    const password = crypto.randomUUID();
    await run("mariadb", [
      "--no-defaults",
      `--socket=${sock}`,
      "-uroot",
      "-e",
      `CREATE DATABASE wordpress; CREATE USER 'wp'@'localhost' IDENTIFIED BY '${password}'; GRANT ALL ON wordpress.* TO 'wp'@'localhost';`,
    ]);

    // A docroot of links to WordPress, with wp-content our own.
    const content = `${dir}/wp-content`, docroot = `${dir}/docroot`;
    for (const sub of ["", "/plugins", "/uploads", "/upgrade"]) {
      await Deno.mkdir(`${content}${sub}`);
    }
    await Deno.symlink("/var/lib/wordpress/wp-content/themes", `${content}/themes`);
    await Deno.mkdir(docroot);
    for await (const entry of Deno.readDir(WP)) {
      const target = entry.name === "wp-content" ? content : `${WP}/${entry.name}`;
      await Deno.symlink(target, `${docroot}/${entry.name}`);
    }

    const port = freePort();
    const origin = `http://127.0.0.1:${port}`;
    const log = `${dir}/debug.log`;
    // A table prefix that is not wp_: uninstall code that assumes it is would miss.
    await Deno.writeTextFile(
      CONFIG,
      `<?php
define('DB_NAME', 'wordpress');
define('DB_USER', 'wp');
define('DB_PASSWORD', '${password}');
define('DB_HOST', 'localhost:${sock}');
$table_prefix = 'vrt_';
define('WP_HOME', '${origin}');
define('WP_SITEURL', '${origin}');
define('WP_CONTENT_DIR', '${content}');
define('WP_CONTENT_URL', '${origin}/wp-content');
define('WP_DEBUG', true);
define('WP_DEBUG_LOG', '${log}');
define('WP_DEBUG_DISPLAY', false);
define('DISABLE_WP_CRON', true);
define('WP_HTTP_BLOCK_EXTERNAL', true);
define('AUTOMATIC_UPDATER_DISABLED', true);
define('FS_METHOD', 'direct');
define('WP_ENVIRONMENT_TYPE', 'local');
${
        ["AUTH_KEY", "SECURE_AUTH_KEY", "LOGGED_IN_KEY", "NONCE_KEY"].flatMap((k) => [
          `define('${k}', '${salt()}');`,
          `define('${k.replace("KEY", "SALT")}', '${salt()}');`,
        ]).join("\n")
      }
`,
    );
    cleanups.push(() => Deno.remove(CONFIG));

    const driver = `${dir}/driver.php`;
    await Deno.writeTextFile(
      driver,
      `<?php
$_SERVER['HTTP_HOST'] = '127.0.0.1:${port}';
$_SERVER['SERVER_NAME'] = '127.0.0.1';
$_SERVER['REQUEST_URI'] = '/';
$_SERVER['REQUEST_METHOD'] = 'GET';
if (getenv('VR_INSTALLING')) define('WP_INSTALLING', true);
require '${WP}/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';
require_once ABSPATH . 'wp-admin/includes/plugin.php';
require_once ABSPATH . 'wp-admin/includes/user.php';
require_once ABSPATH . 'wp-admin/includes/file.php';
eval(stream_get_contents(STDIN));
`,
    );
    const php = (code: string) => run("php", [driver], code);
    const { admin } = options;
    await run(
      "env",
      ["VR_INSTALLING=1", "php", driver],
      `
      wp_install('Video room test', ${JSON.stringify(admin.user)}, ${
        JSON.stringify(admin.email)
      }, false, '', ${JSON.stringify(admin.password)});
    `,
    ).catch((e) => {
      // wp_install tries to mail the admin (no sendmail here): harmless, unless the site is not there.
      if (!String(e).includes("sendmail")) throw e;
    });

    // PHP's server forks workers that outlive their parent: its own process group, stopped whole.
    const server = new Deno.Command("setsid", {
      args: ["php", "-S", `127.0.0.1:${port}`, "-t", docroot],
      env: { PHP_CLI_SERVER_WORKERS: "4" },
      stdout: "null",
      stderr: "null",
    }).spawn();
    cleanups.push(async () => {
      try {
        Deno.kill(-server.pid, "SIGTERM");
      } catch { /* already gone */ }
      await server.status;
    });
    await until(
      () =>
        fetch(`${origin}/wp-login.php`).then((r) => r.body?.cancel().then(() => r.ok), () => false),
      "WordPress answering",
      30000,
    );
    return {
      origin,
      php,
      contentDir: content,
      debugLog: () => Deno.readTextFile(log).catch(() => ""),
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}
