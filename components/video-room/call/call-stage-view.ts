/**
 * The call screen's stage: the featured tile (a shared screen, the pinned
 * person, the speaker), the grid or filmstrip of tiles as the layout
 * function placed them with a page switcher, and the side panel (chat or
 * participants) when open. Templates only.
 */
import { html, nothing } from "lit";
import type { ChatEntry, Participant } from "../../core/room-session.ts";
import { tm } from "../../internal/meeting-strings.ts";
import { type RoomStrings, t } from "../../internal/strings.ts";
import type { LayoutTile, TileLayout } from "./tile-layout.ts";

export interface CallStageView {
  layout: TileLayout<Participant>;
  strings: Partial<RoomStrings> | undefined;
  /** The chat log while the panel is open, else null. */
  chat: readonly ChatEntry[] | null;
  joined: boolean;
  onChatSend(e: CustomEvent<{ text: string }>): void;
  onChatClose(): void;
  /** Controls in a tile's corner (a host's menu), by participant. */
  tileActions?: (p: Participant) => unknown;
  /** Shown above the tiles (the lobby's knocks, for hosts; a recording's file). */
  above?: unknown;
  /** Over the stage's corner (the recording badge). */
  badge?: unknown;
  /** The participants panel, when open (instead of the chat). */
  side?: unknown;
  onPage(page: number): void;
}

function tileView(
  { participant: p, screen }: LayoutTile<Participant>,
  v: CallStageView,
  part = "tile",
) {
  return html`
    <peer-tile
      part=${part}
      role="listitem"
      data-peer=${p.id}
      .name=${p.name}
      .stream=${screen ? p.screen : p.stream}
      .strings=${v.strings}
      ?local=${p.local}
      ?screen=${screen}
      ?audio-muted=${!p.state.audio}
      ?video-off=${!p.state.video}
      ?speaking=${!screen && p.speaking}
      ?hand=${!screen && p.hand !== null}
      quality=${screen ? "" : p.quality ?? ""}
      .reaction=${screen ? null : p.reaction}
      connection=${p.connection}
    >${!screen && !p.local && v.tileActions ? v.tileActions(p) : nothing}</peer-tile>
  `;
}

/** Previous and next page, when the tiles do not fit on one. */
function pager(v: CallStageView) {
  const { page, pages } = v.layout;
  if (pages < 2) return nothing;
  const s = v.strings;
  return html`
    <div part="pager">
      <button type="button" aria-label=${tm(
        s,
        "previousPage",
      )} ?disabled=${page === 0} @click=${() => v.onPage(page - 1)}>‹</button>
      <span>${tm(s, "pageOf", { n: page + 1, total: pages })}</span>
      <button type="button" aria-label=${tm(s, "nextPage")} ?disabled=${page === pages - 1}
        @click=${() => v.onPage(page + 1)}>›</button>
    </div>
  `;
}

export function callStageView(v: CallStageView) {
  const { layout, strings } = v;
  const f = layout.featured;
  return html`
    ${v.above ?? nothing}
    <div class="main">
      <div part="stage" class="${layout.view} ${f ? "with-featured" : ""}">
        ${v.badge ?? nothing}
        ${f ? tileView(f, v, f.screen ? "screen" : "tile featured") : nothing}
        <div
          part=${layout.view === "speaker" ? "grid filmstrip" : "grid"}
          data-cols=${layout.columns}
          aria-label=${tm(strings, "participants")}
          role="list"
        >
          ${layout.grid.map((x) => tileView(x, v))}
        </div>
        ${pager(v)}
      </div>
      ${v.side ?? nothing}${v.chat
        ? html`
          <aside part="chat-side" class="side" aria-labelledby="chat-title">
            <header>
              <h2 id="chat-title">${t(strings, "chat")}</h2>
              <button type="button" class="close" aria-label=${tm(strings, "close")} @click=${v
                .onChatClose}>✕</button>
            </header>
            <chat-panel
              part="chat"
              .messages=${v.chat}
              .strings=${strings}
              ?disabled=${!v.joined}
              @chat-send=${v.onChatSend}
            ></chat-panel>
          </aside>
        `
        : nothing}
    </div>
  `;
}
