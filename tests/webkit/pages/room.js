// ?room=…&w=390&h=844: one element of that size, on this server; and what the page met
// (uncaught errors, the element's events) kept for the test to read.
globalThis.caught = [];
globalThis.events = [];
addEventListener("error", (e) => caught.push(String(e.message)));
addEventListener("unhandledrejection", (e) => caught.push(String(e.reason)));
const params = new URLSearchParams(location.search);
const el = document.getElementById("room");
el.setAttribute("room", params.get("room") ?? "webkit");
el.setAttribute("server", `ws://${location.host}/ws`);
el.style.width = `${params.get("w") ?? 1280}px`;
el.style.setProperty("--video-room-height", `${params.get("h") ?? 800}px`);
for (const type of ["room-error", "room-joined", "chat-message", "peer-joined"]) {
  el.addEventListener(type, (e) => events.push({ type, detail: e.detail }));
}
