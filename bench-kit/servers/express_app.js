'use strict'
// The reference endpoints in Express; keep in step with fastapi_app.py.
//   GET  /json      a hello-world JSON object
//   GET  /io        awaits a 20 ms timer (stands in for a database call)
//   GET  /cpu       a fixed CPU-bound loop of 20,000 integer steps
//   POST /validate  a JSON body, checked by hand (Express has no schema step)

const express = require('express')
const { CPU_STEPS, IO_WAIT_MS, cpuLoop, wait, serve } = require('./common')

function checkOrder (body) {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return 'body must be an object'
  const { name, quantity, price, tags } = body
  if (typeof name !== 'string' || name.length < 1 || name.length > 100) return 'name: 1-100 characters'
  if (!Number.isInteger(quantity) || quantity < 1 || quantity > 1000) return 'quantity: integer 1-1000'
  if (typeof price !== 'number' || !Number.isFinite(price) || price < 0) return 'price: number >= 0'
  if (tags !== undefined) {
    if (!Array.isArray(tags) || tags.length > 10 || !tags.every((t) => typeof t === 'string')) {
      return 'tags: at most 10 strings'
    }
  }
  return null
}

serve((port, host) => {
  const app = express()
  app.disable('x-powered-by')
  app.disable('etag')
  app.use(express.json())

  app.get('/json', (req, res) => {
    res.json({ message: 'Hello, World!' })
  })

  app.get('/io', async (req, res) => {
    await wait(IO_WAIT_MS)
    res.json({ waited_ms: IO_WAIT_MS })
  })

  app.get('/cpu', (req, res) => {
    res.json({ steps: CPU_STEPS, checksum: cpuLoop() })
  })

  app.post('/validate', (req, res) => {
    const problem = checkOrder(req.body)
    if (problem) {
      res.status(422).json({ error: problem })
      return
    }
    res.json({ ok: true, total: req.body.quantity * req.body.price })
  })

  app.listen(port, host)
})
