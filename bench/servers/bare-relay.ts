/**
 * Baseline: the runtime's limit. A Deno WebSocket relay speaking the same
 * join/signal messages as ours with no validation, limits, metrics or resume:
 * what is left of a signaling server when everything that keeps it safe is gone.
 */
const rooms = new Map<string, Map<string, WebSocket>>();
let next = 0;

const server = Deno.serve({
  port: Number(Deno.env.get("PORT") ?? 0),
  hostname: "127.0.0.1",
  onListen: ({ port }) => console.log(JSON.stringify({ msg: "listening", port })),
}, (req) => {
  const { socket, response } = Deno.upgradeWebSocket(req);
  let id = "";
  let room: Map<string, WebSocket> | undefined;
  socket.onmessage = (ev) => {
    const msg = JSON.parse(ev.data);
    if (msg.type === "join") {
      id = `p${next++}`;
      room = rooms.get(msg.room) ?? new Map();
      rooms.set(msg.room, room);
      const peers = [...room.keys()].map((p) => ({ id: p }));
      room.set(id, socket);
      socket.send(JSON.stringify({ type: "joined", id, peers }));
    } else if (msg.type === "signal") {
      room?.get(msg.to)?.send(JSON.stringify({ type: "signal", from: id, data: msg.data }));
    }
  };
  socket.onclose = () => room?.delete(id);
  return response;
});
Deno.addSignalListener("SIGTERM", async () => {
  await server.shutdown();
  Deno.exit(0);
});
