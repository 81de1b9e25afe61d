'use strict'
// The reference endpoints in Fastify; keep in step with fastapi_app.py.
//   GET  /json      a hello-world JSON object
//   GET  /io        awaits a 20 ms timer (stands in for a database call)
//   GET  /cpu       a fixed CPU-bound loop of 20,000 integer steps
//   POST /validate  a JSON body validated against a JSON schema

const Fastify = require('fastify')
const { CPU_STEPS, IO_WAIT_MS, cpuLoop, wait, serve } = require('./common')

const orderSchema = {
  type: 'object',
  required: ['name', 'quantity', 'price'],
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 100 },
    quantity: { type: 'integer', minimum: 1, maximum: 1000 },
    price: { type: 'number', minimum: 0 },
    tags: { type: 'array', maxItems: 10, items: { type: 'string' } }
  }
}

serve((port, host) => {
  const app = Fastify({ logger: false })

  app.get('/json', async () => ({ message: 'Hello, World!' }))

  app.get('/io', async () => {
    await wait(IO_WAIT_MS)
    return { waited_ms: IO_WAIT_MS }
  })

  app.get('/cpu', async () => ({ steps: CPU_STEPS, checksum: cpuLoop() }))

  app.post('/validate', { schema: { body: orderSchema } }, async (req) => {
    return { ok: true, total: req.body.quantity * req.body.price }
  })

  app.listen({ port, host }).catch((err) => {
    console.error(err)
    process.exit(1)
  })
})
