import fs from "node:fs";
import path from "node:path";
import { claimSpoolDir } from "@/lib/gateway/recorder/claim";

/**
 * An instance starting up, for recorder-spool-claim.test.ts: waits for `<parent>/go` (so several
 * children claim at the same moment), claims its spool directory, prints the claim as JSON, and
 * stays alive (holding its claim) until `<parent>/done` appears.
 *   claim-child.ts <parent> <instanceId>
 */
const [parent, instanceId] = process.argv.slice(2);
while (!fs.existsSync(path.join(parent!, "go"))) await new Promise((resolve) => setTimeout(resolve, 2));
const claim = claimSpoolDir(parent!, instanceId!);
process.stdout.write(`${JSON.stringify({ dir: claim.dir, adopted: claim.adopted })}\n`);
const deadline = Date.now() + 120_000;
while (!fs.existsSync(path.join(parent!, "done")) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
