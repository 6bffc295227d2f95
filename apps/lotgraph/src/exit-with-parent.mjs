// Preloaded (`node --import`) into the web app's Next.js server: it ends when the Lotgraph process
// that started it is gone. A process killed outright (out of memory, kill -9) cannot stop its
// children, and a web server left behind would hold WEB_PORT and answer the next start's health
// check in place of its own web app. When the parent dies the child is handed to another process,
// so its parent pid changes. The timer is unref'd: it never keeps the server alive by itself.
import { setInterval } from "node:timers";

const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) process.exit(0);
}, 1000).unref();
