// Starts the set-up of bench/launch.sh and keeps it up until SIGTERM: three
// instances (tests/integration/cluster.mjs) on the store $1, nginx in front.
// Prints "URL=<nginx>" and "INSTANCES=<port,port,port>" once everything listens.
//   MARQUEE_BIN=… MARQUEE_SOURCE_DIR=… node bench/launch_cluster.mjs DB_URL WORK_DIR
import { startCluster } from '../tests/integration/cluster.mjs';

const [db, dir] = process.argv.slice(2);
const cluster = await startCluster({
  dir, db, instances: 3,
  settings: { registration_rate: 0, no_seed: true, poll_ms: 5000, log_format: '"text"' },
});
console.log(`URL=${cluster.url}`);
console.log(`INSTANCES=${cluster.instances.map((i) => i.port).join(',')}`);
process.on('SIGTERM', async () => {
  const codes = await cluster.stop();
  console.log(`stopped: ${codes.join(',')}`);
  process.exit(0);
});
