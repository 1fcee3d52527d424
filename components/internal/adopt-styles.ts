/**
 * Adds a chunk's styles to an element's shadow root, once: chunks bring
 * their own styles, adopted (constructed style sheets), which a strict CSP
 * allows where a <style> element would need 'unsafe-inline'.
 */
import type { CSSResult } from "lit";

export function adoptStyles(
  host: { readonly renderRoot: HTMLElement | DocumentFragment },
  ...styles: CSSResult[]
): void {
  const root = host.renderRoot as ShadowRoot;
  const sheets = styles.map((s) => s.styleSheet!).filter((s) =>
    s && !root.adoptedStyleSheets.includes(s)
  );
  if (sheets.length) root.adoptedStyleSheets = [...root.adoptedStyleSheets, ...sheets];
}
