/**
 * The demo site: a landing page that picks a room and a name, and a room view
 * that hosts <video-room> full-window. URL contract:
 * - `/?room=R` opens room R at the pre-join screen;
 * - `/?room=R&name=N` joins room R as N straight away (invite links, tests);
 * - `&token=T` adds a room access token, for servers that require one;
 * - `&relay=1` sends media only through TURN (to check a TURN setup).
 */
// The element comes from /dist/video-room.js, which the page loads as any embedder would.
import type { VideoRoom } from "../components/video-room/video-room.ts";
import { ROOM_PATTERN } from "../protocol/messages.ts";

const NAME_KEY = "video-room-demo:name";
const ADJECTIVES = [
  "brave",
  "calm",
  "eager",
  "fancy",
  "gentle",
  "happy",
  "jolly",
  "kind",
  "lucky",
  "merry",
  "proud",
  "quiet",
  "sunny",
  "witty",
];
const ANIMALS = [
  "otter",
  "panda",
  "falcon",
  "koala",
  "lynx",
  "heron",
  "tiger",
  "walrus",
  "gecko",
  "bison",
  "crane",
  "moose",
];

/** A readable random room name, e.g. `sunny-heron-42`. */
export function randomRoomName(random = Math.random): string {
  const pick = (list: string[]) => list[Math.floor(random() * list.length)];
  return `${pick(ADJECTIVES)}-${pick(ANIMALS)}-${Math.floor(random() * 90) + 10}`;
}

function storedName(): string {
  try {
    return localStorage.getItem(NAME_KEY) ?? "";
  } catch {
    return ""; // storage blocked (privacy mode): just don't remember
  }
}

function rememberName(name: string): void {
  try {
    localStorage.setItem(NAME_KEY, name);
  } catch { /* see storedName */ }
}

function showLanding(): void {
  const room = document.querySelector<HTMLInputElement>("#room")!;
  const name = document.querySelector<HTMLInputElement>("#name")!;
  room.value = randomRoomName();
  name.value = storedName();
  (name.value ? room : name).focus();
  document.querySelector<HTMLFormElement>("#start")!.addEventListener("submit", (e) => {
    e.preventDefault();
    const n = name.value.trim();
    rememberName(n);
    location.search = new URLSearchParams({ room: room.value.trim(), name: n }).toString();
  });
}

function showRoom(room: string, params: URLSearchParams): void {
  const name = params.get("name");
  const token = params.get("token");
  document.querySelector("#landing")!.setAttribute("hidden", "");
  const call = document.querySelector<HTMLElement>("#call")!;
  call.hidden = false;
  document.title = `${room} — video-room`;
  document.querySelector("#room-title")!.textContent = `Room ${room}`;

  const el: VideoRoom = document.createElement("video-room");
  el.room = room;
  el.name = name ?? storedName();
  el.autojoin = name !== null;
  if (token) el.token = token;
  if (params.get("relay") === "1") el.iceTransportPolicy = "relay";
  // ?lang=de tries another language; without it the page's own (English) applies.
  const lang = params.get("lang");
  if (lang) el.lang = lang;
  // The name typed on the pre-join screen is remembered for next time.
  el.addEventListener("room-joined", () => rememberName(el.name));
  call.append(el);

  const copied = document.querySelector<HTMLElement>("#copied")!;
  document.querySelector("#copy")!.addEventListener("click", async () => {
    const invite = new URL(location.pathname, location.href);
    invite.searchParams.set("room", room);
    try {
      await navigator.clipboard.writeText(invite.href);
      copied.textContent = "Link copied";
    } catch {
      copied.textContent = invite.href; // no clipboard access: show it to copy by hand
    }
    setTimeout(() => (copied.textContent = ""), 4000);
  });
}

const params = new URLSearchParams(location.search);
const room = params.get("room");
if (room !== null && ROOM_PATTERN.test(room)) {
  showRoom(room, params);
} else showLanding();
