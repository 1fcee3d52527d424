/**
 * The "Video room" block in the editor, without a build step: plain
 * JavaScript against wp.blocks, wp.element, wp.blockEditor and
 * wp.components. The block is dynamic (render.php draws it), so save is null;
 * in the editor it shows which room it will be, with its options in the
 * sidebar.
 */
(function (wp) {
  const { registerBlockType } = wp.blocks;
  const { createElement: h, Fragment } = wp.element;
  const { InspectorControls, useBlockProps } = wp.blockEditor;
  const { PanelBody, TextControl, SelectControl, ToggleControl, Placeholder, Notice } =
    wp.components;
  const { __, sprintf } = wp.i18n;
  const ROOM = /^[A-Za-z0-9_-]{1,64}$/;
  const HEIGHT = /^\d{2,4}(px|vh|em|rem)$/;

  registerBlockType("video-room/room", {
    edit({ attributes, setAttributes }) {
      const { room, layout, autojoin, height, lang } = attributes;
      const roomOk = ROOM.test(room);
      return h(
        Fragment,
        null,
        h(
          InspectorControls,
          null,
          h(
            PanelBody,
            { title: __("Room", "video-room") },
            h(TextControl, {
              label: __("Room name", "video-room"),
              help: __(
                "Letters, digits, _ and -; everyone on a page with the same room meets.",
                "video-room",
              ),
              value: room,
              onChange: (value) => setAttributes({ room: value.trim() }),
            }),
            h(SelectControl, {
              label: __("Layout", "video-room"),
              value: layout,
              options: [
                { label: __("Automatic", "video-room"), value: "auto" },
                { label: __("Grid", "video-room"), value: "grid" },
                { label: __("Speaker", "video-room"), value: "speaker" },
              ],
              onChange: (value) => setAttributes({ layout: value }),
            }),
            h(ToggleControl, {
              label: __("Join without the pre-join screen", "video-room"),
              checked: autojoin,
              onChange: (value) => setAttributes({ autojoin: value }),
            }),
            h(TextControl, {
              label: __("Height", "video-room"),
              help: __("For example 600px or 80vh; empty for the default.", "video-room"),
              value: height,
              onChange: (value) => setAttributes({ height: value.trim() }),
            }),
            h(TextControl, {
              label: __("Language", "video-room"),
              help: __("For example de or pt-BR; empty follows the page.", "video-room"),
              value: lang,
              onChange: (value) => setAttributes({ lang: value.trim() }),
            }),
          ),
        ),
        h(
          "div",
          useBlockProps(),
          h(
            Placeholder,
            {
              icon: "video-alt2",
              label: __("Video room", "video-room"),
              instructions: roomOk
                ? sprintf(__("Visitors of this post join the room “%s”.", "video-room"), room)
                : __("Name the room in the block's settings.", "video-room"),
            },
            (room && !roomOk) || (height && !HEIGHT.test(height))
              ? h(
                Notice,
                { status: "warning", isDismissible: false },
                room && !roomOk
                  ? __("A room name is 1–64 letters, digits, _ or -.", "video-room")
                  : __("A height is a number with px, vh, em or rem.", "video-room"),
              )
              : null,
          ),
        ),
      );
    },
    save: () => null,
  });
})(globalThis.wp);
