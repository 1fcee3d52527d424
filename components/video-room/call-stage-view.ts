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
}

function tileView(
  { participant: p, screen }: LayoutTile<Participant>,
  strings: CallStageView["strings"],
  part = "tile",
) {
  return html`
    <peer-tile
      part=${part}
      role="listitem"
      data-peer=${p.id}
      .name=${p.name}
      .stream=${screen ? p.screen : p.stream}
      .strings=${strings}
      ?local=${p.local}
      ?screen=${screen}
      ?audio-muted=${!p.state.audio}
      ?video-off=${!p.state.video}
      ?speaking=${!screen && p.speaking}
      connection=${p.connection}
    ></peer-tile>
  `;
}

export function callStageView(v: CallStageView) {
  const { layout, strings } = v;
  return html`
    <div class="main">
      <div part="stage" class=${layout.featured ? "with-screen" : ""}>
        ${layout.featured ? tileView(layout.featured, strings, "screen") : nothing}
        <div
          part="grid"
          data-cols=${layout.columns}
          aria-label=${t(strings, "participants")}
          role="list"
        >
          ${layout.grid.map((x) => tileView(x, strings))}
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
