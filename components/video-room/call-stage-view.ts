/**
 * The call screen's stage: the featured tile (a shared screen), the grid of
 * tiles as the layout function placed them, and the chat panel when open.
 * Templates only.
 */
import { html, nothing } from "lit";
import type { ChatEntry, Participant } from "../core/room-session.ts";
import { type RoomStrings, t } from "../internal/strings.ts";
import type { LayoutTile, TileLayout } from "./tile-layout.ts";

export interface CallStageView {
  layout: TileLayout<Participant>;
  strings: Partial<RoomStrings> | undefined;
  /** The chat log while the panel is open, else null. */
  chat: readonly ChatEntry[] | null;
  joined: boolean;
  onChatSend(e: CustomEvent<{ text: string }>): void;
  /** Controls in a tile's corner (a host's menu), by participant. */
  tileActions?: (p: Participant) => unknown;
  /** Shown above the tiles (the lobby's knocks, for hosts). */
  above?: unknown;
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
      connection=${p.connection}
    >${!screen && !p.local && v.tileActions ? v.tileActions(p) : nothing}</peer-tile>
  `;
}

export function callStageView(v: CallStageView) {
  const { layout, strings } = v;
  return html`
    ${v.above ?? nothing}
    <div class="main">
      <div part="stage" class=${layout.featured ? "with-screen" : ""}>
        ${layout.featured ? tileView(layout.featured, v, "screen") : nothing}
        <div
          part="grid"
          data-cols=${layout.columns}
          aria-label=${t(strings, "participants")}
          role="list"
        >
          ${layout.grid.map((x) => tileView(x, v))}
        </div>
      </div>
      ${v.chat
        ? html`
          <chat-panel
            part="chat"
            .messages=${v.chat}
            .strings=${strings}
            ?disabled=${!v.joined}
            @chat-send=${v.onChatSend}
          ></chat-panel>
        `
        : nothing}
    </div>
  `;
}
