/**
 * Room tokens from this WordPress site, for each <video-room> the plugin
 * printed. The page itself holds nothing per visitor (so it can be cached):
 * at join time a logged-in user's browser fetches a fresh REST nonce, and
 * the token route, seeing cookie and nonce, knows who asks (an editor
 * hosts). A visitor who is not logged in gets no nonce and joins as a guest.
 * Runs before the element's bundle (module scripts run in order), so the
 * provider is there before any room joins.
 */
for (const room of document.querySelectorAll("video-room[data-wp-nonce-url]")) {
  room.tokenProvider = async (request) => {
    const headers = { "content-type": "application/json", accept: "application/json" };
    const nonce = await restNonce(room.dataset.wpNonceUrl);
    if (nonce) headers["X-WP-Nonce"] = nonce;
    const res = await fetch(room.getAttribute("token-url"), {
      method: "POST",
      credentials: "same-origin",
      headers,
      body: JSON.stringify(request),
    });
    const body = await res.json().catch(() => ({}));
    if (!res.ok || typeof body.token !== "string") {
      // The element stops retrying on 401 and 403 and shows the site's message.
      throw Object.assign(new Error(body.message || `the site answered ${res.status}`), {
        status: res.status,
      });
    }
    return body.token;
  };
}

/** A REST nonce for the logged-in user; null for a visitor (WordPress answers 400 then). */
async function restNonce(url) {
  try {
    const res = await fetch(url, { credentials: "same-origin" });
    const text = res.ok ? (await res.text()).trim() : "";
    return /^[0-9a-f]{6,32}$/.test(text) ? text : null;
  } catch {
    return null;
  }
}
