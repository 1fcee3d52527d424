/**
 * `video-room/react` rendered by React itself: props arrive as the element's properties (React
 * 18 would set attributes only), and the element's events reach `on…` props with their detail.
 */
import { expect } from "@open-wc/testing";
import { createElement, useState } from "react";
import { createRoot, type Root } from "react-dom/client";
import { VideoRoom } from "../../../components/react/video-room-react.ts";
import type { VideoRoom as VideoRoomElement } from "../../../components/video-room/video-room.ts";
import { signalingUrl, uniqueRoom, until } from "../test-helpers.ts";

describe("video-room/react", () => {
  let container: HTMLDivElement;
  let root: Root;

  beforeEach(() => {
    container = document.createElement("div");
    document.body.append(container);
    root = createRoot(container);
  });

  afterEach(() => {
    root.unmount();
    container.remove();
  });

  it("passes props as properties and events to on… props, as the user joins", async () => {
    const server = await signalingUrl();
    const room = uniqueRoom("react");
    const joined: Array<{ id: string; room: string }> = [];
    let setLayout: (layout: "grid" | "speaker") => void = () => {};

    function App() {
      const [layout, set] = useState<"grid" | "speaker">("speaker");
      setLayout = set;
      return createElement(VideoRoom, {
        room,
        server,
        layout,
        onRoomJoined: (e) => joined.push(e.detail),
      });
    }
    root.render(createElement(App));

    const el = await until(
      () => container.querySelector("video-room") as VideoRoomElement | null,
      "the element rendered",
    );
    expect(el.room).to.equal(room);
    expect(el.layout).to.equal("speaker");
    // A state change in React reaches the element as a property.
    setLayout("grid");
    await until(() => el.layout === "grid", "layout updated from React state");

    // The user types a name and presses Join on the rendered pre-join screen.
    await el.updateComplete;
    const shadow = el.shadowRoot!;
    const input = await until(
      () => shadow.querySelector<HTMLInputElement>("input[name=name], input#name, input"),
      "name field",
    );
    input.focus();
    input.value = "Rita";
    input.dispatchEvent(new Event("input", { bubbles: true }));
    shadow.querySelector<HTMLButtonElement>("button[type=submit]")!.click();

    await until(() => joined.length === 1, "onRoomJoined called", 10000);
    expect(joined[0].room).to.equal(room);
    expect(joined[0].id).to.be.a("string").and.not.equal("");
    el.leave();
  });
});
