// Runs bcrypt in a worker thread (piscina), so hashing and comparing passwords, ~100 ms of CPU
// each, never hold the event loop that answers every other request. Plain JavaScript: a worker
// loads it as is, under tsx, vitest or a production build alike.
import bcrypt from "bcryptjs";

/** @param {{ op: "hash" | "compare", password: string, hash?: string, cost?: number }} task */
export default function run(task) {
  if (task.op === "hash") return bcrypt.hashSync(task.password, task.cost ?? 11);
  return bcrypt.compareSync(task.password, task.hash ?? "");
}
