import { css } from "lit";

export const peerTileStyles = css`
  :host {
    display: block;
    position: relative;
    min-width: 0;
    min-height: 0;
    aspect-ratio: 16 / 9;
    border-radius: var(--peer-tile-radius, 12px);
    overflow: hidden;
    background: var(--peer-tile-background, #1f2430);
    color: var(--peer-tile-color, #fff);
    font: inherit;
    container-type: size;
  }
  [part="base"] {
    position: absolute;
    inset: 0;
    display: grid;
    place-items: center;
    border-radius: inherit;
    transition: box-shadow 0.15s;
  }
  :host([speaking]) [part="base"] {
    box-shadow: inset 0 0 0 3px var(--peer-tile-speaking-color, #3ddc84);
  }
  video {
    position: absolute;
    inset: 0;
    width: 100%;
    height: 100%;
    object-fit: var(--peer-tile-fit, cover);
    background: #000;
  }
  :host([screen]) video {
    object-fit: contain;
  }
  :host([local]:not([screen])) video {
    transform: scaleX(-1);
  }
  [hidden] {
    display: none !important;
  }
  [part="avatar"] {
    width: clamp(40px, 30cqmin, 120px);
    aspect-ratio: 1;
    border-radius: 50%;
    display: grid;
    place-items: center;
    font-size: clamp(16px, 11cqmin, 44px);
    font-weight: 600;
    background: var(--peer-tile-avatar-background, #4f5b93);
    user-select: none;
  }
  [part="label"] {
    position: absolute;
    inset-inline-start: 8px;
    bottom: 8px;
    max-width: calc(100% - 16px);
    display: flex;
    align-items: center;
    gap: 4px;
    padding: 2px 8px;
    border-radius: 6px;
    background: rgb(0 0 0 / 0.55);
    font-size: 0.85em;
    line-height: 1.6;
  }
  .name {
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  [part="indicator"] {
    display: inline-flex;
    color: var(--peer-tile-muted-color, #ff6b6b);
  }
  [part="indicator"] svg {
    width: 16px;
    height: 16px;
  }
  [part="status"] {
    position: absolute;
    top: 8px;
    inset-inline-start: 8px;
    padding: 2px 8px;
    border-radius: 6px;
    background: rgb(0 0 0 / 0.55);
    font-size: 0.8em;
  }
  button {
    position: absolute;
    top: 50%;
    left: 50%;
    transform: translate(-50%, -50%);
    font: inherit;
    padding: 8px 14px;
    border-radius: 8px;
    border: 0;
    background: var(--peer-tile-accent, #2f5bd8);
    color: #fff;
    cursor: pointer;
  }
  button:focus-visible {
    outline: 2px solid #fff;
    outline-offset: 2px;
  }
  .actions {
    position: absolute;
    top: 6px;
    inset-inline-end: 6px;
  }
  .hand {
    padding: 1px;
    border-radius: 4px;
    background: var(--peer-tile-hand-color, #f5b400);
    color: #161a23;
  }
  [part="quality"] {
    display: inline-flex;
    align-items: flex-end;
    gap: 1px;
    height: 12px;
  }
  [part="quality"] i {
    width: 3px;
    height: 40%;
    background: currentColor;
    opacity: 0.35;
  }
  [part="quality"] i:nth-child(2) {
    height: 70%;
  }
  [part="quality"] i:nth-child(3) {
    height: 100%;
  }
  .good i,
  .fair i:not(:last-child),
  .poor i:first-child {
    opacity: 1;
  }
  .fair {
    color: #f5b400;
  }
  .poor {
    color: var(--peer-tile-muted-color, #ff6b6b);
  }
  [part="reaction"] {
    position: absolute;
    bottom: 18%;
    font-size: clamp(28px, 22cqmin, 72px);
    opacity: 0;
    pointer-events: none;
    animation: float 3s ease-out forwards;
  }
  @keyframes float {
    0% {
      opacity: 0;
      transform: translateY(0) scale(0.6);
    }
    15% {
      opacity: 1;
      transform: translateY(-20%) scale(1);
    }
    80% {
      opacity: 1;
    }
    to {
      opacity: 0;
      transform: translateY(-60%);
    }
  }
  @media (prefers-reduced-motion: reduce) {
    [part="reaction"] {
      transform: none !important;
    }
  }
`;
