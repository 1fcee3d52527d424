/**
 * A menu button and its menu (the tile menus, Reactions, More, Host
 * controls): real buttons, keyboard-reachable (arrows move, Escape closes),
 * closed when the focus leaves it. Which menu is open is its owner's state.
 */
import { html, nothing } from "lit";

/** One entry of a menu; with `checked` it is one of a group of choices. */
export interface MenuItem {
  text: string;
  run(): void;
  /** A class, e.g. `danger`. */
  cls?: string;
  checked?: boolean;
  /** An accessible name when the text alone says too little (an emoji). */
  label?: string;
}

export interface MenuView {
  /** The open menu's id, or null. */
  openMenu: string | null;
  /** Opens a menu, or closes it (focus back to its button unless `refocus` is false). */
  onMenu(id: string | null, refocus?: boolean): void;
}

/** Arrow keys move through a menu's items; Escape closes it. */
function menuKeys(v: MenuView) {
  return (e: KeyboardEvent) => {
    const items = [
      ...(e.currentTarget as HTMLElement).querySelectorAll<HTMLButtonElement>("button"),
    ];
    const at = items.indexOf(e.target as HTMLButtonElement);
    if (e.key === "Escape") {
      e.preventDefault();
      v.onMenu(null);
    } else if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      items[(at + (e.key === "ArrowDown" ? 1 : items.length - 1)) % items.length]?.focus();
    }
  };
}

/** A button that opens a menu of items: keyboard-reachable, closed by Escape or leaving it. */
export function menu(
  v: MenuView,
  id: string,
  label: string,
  trigger: unknown,
  items: readonly MenuItem[],
) {
  const open = v.openMenu === id;
  // Focus leaving the menu (a click elsewhere, Tab away) closes it.
  const leave = (e: FocusEvent) => {
    const to = e.relatedTarget as Node | null;
    if (open && !(to && (e.currentTarget as Node).contains(to))) v.onMenu(null, false);
  };
  return html`
    <div class="menu" @focusout=${leave}>
      <button
        part="control menu-button"
        type="button"
        aria-haspopup="menu"
        aria-expanded=${open ? "true" : "false"}
        aria-label=${label}
        title=${label}
        data-menu=${id}
        @click=${() => v.onMenu(open ? null : id)}
      >${trigger}</button>
      ${open
        ? html`
          <div role="menu" aria-label=${label} @keydown=${menuKeys(v)}>
            ${items.map((item) =>
              html`
                <button
                  role=${item.checked === undefined ? "menuitem" : "menuitemradio"}
                  aria-checked=${item.checked === undefined ? nothing : String(item.checked)}
                  aria-label=${item.label ?? nothing}
                  type="button"
                  class=${item.cls ?? ""}
                  @click=${() => {
                    v.onMenu(null);
                    item.run();
                  }}
                >${item.text}</button>
              `
            )}
          </div>
        `
        : nothing}
    </div>
  `;
}
