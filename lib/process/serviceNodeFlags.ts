/**
 * Node flags every service process runs with (npm start, npm run dev, the bench, the image).
 *
 * V8 sizes its heap against its limit, and without one it takes the limit from the machine's
 * memory: under 50 concurrent requests the router's heap then grew to about 215 MiB (RSS above
 * 300 MiB) while what stayed live after each collection was near 100 MiB. With a 256 MiB limit
 * the same load peaked at 162 MiB RSS, at the same throughput within this machine's noise
 * (npm run bench, shapes a to d at 50 connections). 256 MiB is over twice that live set.
 */
export const serviceNodeFlags: readonly string[] = ['--max-old-space-size=256'];
