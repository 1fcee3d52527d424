// Baseline: the design most "Zoom clone" tutorials use, a Node socket.io
// server that joins a room and relays offer/answer/ice to everyone else in it.
// Plain JS because it runs under Node as those projects do (Node 20 runs no TS).
import { createServer } from "node:http";
import { Server } from "socket.io";

const port = Number(process.env.PORT ?? 0);
const http = createServer();
const io = new Server(http, { cors: { origin: "*" }, transports: ["websocket"] });
io.on("connection", (socket) => {
  socket.on("join_room", (room) => {
    socket.join(room);
    socket.data.room = room;
    socket.emit("joined", { id: socket.id });
    socket.to(room).emit("user_joined", { id: socket.id });
  });
  for (const type of ["offer", "answer", "ice"]) {
    socket.on(
      type,
      (payload) => socket.to(socket.data.room).emit(type, { ...payload, from: socket.id }),
    );
  }
});
http.listen(port, "127.0.0.1", () => {
  console.log(JSON.stringify({ msg: "listening", port: http.address().port }));
});
process.on("SIGTERM", () => process.exit(0));
