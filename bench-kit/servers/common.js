'use strict'
// Shared by the Node reference servers: the CPU loop, the I/O wait, and
// starting one process or a cluster of N worker processes.

const cluster = require('node:cluster')

// 20,000 steps of integer arithmetic, the same recurrence as in
// fastapi_app.py. Every intermediate value stays below 2**53, so the
// checksum is exact and equal in both languages.
const CPU_STEPS = 20000
const CPU_MODULUS = 1000003

// The simulated I/O wait (stands in for a database call), in milliseconds.
const IO_WAIT_MS = 20

function cpuLoop (steps = CPU_STEPS) {
  let x = 1
  for (let i = 0; i < steps; i++) {
    x = (x * 31 + i) % CPU_MODULUS
  }
  return x
}

function wait (ms) {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

// Reads PORT (default 8000) and WORKERS (default 1) from the environment.
// With WORKERS > 1 the primary forks that many workers sharing the port, as
// Node's cluster module does; with 1 the server runs in this process.
function serve (start) {
  const port = Number(process.env.PORT || 8000)
  const workers = Math.max(1, Number(process.env.WORKERS || 1))
  if (workers > 1 && cluster.isPrimary) {
    for (let i = 0; i < workers; i++) cluster.fork()
    const stop = () => {
      for (const id in cluster.workers) cluster.workers[id].kill('SIGTERM')
      process.exit(0)
    }
    process.on('SIGTERM', stop)
    process.on('SIGINT', stop)
    return
  }
  start(port, '127.0.0.1')
}

module.exports = { CPU_STEPS, IO_WAIT_MS, cpuLoop, wait, serve }
