"""The reference endpoints in FastAPI, served by Uvicorn.

Same four routes as `express_app.js` and `fastify_app.js`; keep them in step:

  GET  /json      a hello-world JSON object
  GET  /io        awaits a 20 ms timer (stands in for a database call)
  GET  /cpu       a fixed CPU-bound loop of 20,000 integer steps
  POST /validate  a JSON body validated against a pydantic model

Run by `run.sh`:  uvicorn fastapi_app:app --host 127.0.0.1 --port PORT
"""

import asyncio

from fastapi import FastAPI
from pydantic import BaseModel, Field

# The CPU loop: 20,000 steps of integer arithmetic. The same recurrence runs
# in the Node servers and gives the same checksum (every intermediate value
# stays below 2**53, so JavaScript numbers stay exact).
CPU_STEPS = 20_000
CPU_MODULUS = 1_000_003

# The simulated I/O wait, in seconds.
IO_WAIT_S = 0.020

app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)


def cpu_loop(steps: int = CPU_STEPS) -> int:
    x = 1
    for i in range(steps):
        x = (x * 31 + i) % CPU_MODULUS
    return x


class Order(BaseModel):
    name: str = Field(min_length=1, max_length=100)
    quantity: int = Field(ge=1, le=1000)
    price: float = Field(ge=0)
    tags: list[str] = Field(default_factory=list, max_length=10)


@app.get("/json")
async def json_hello() -> dict:
    return {"message": "Hello, World!"}


@app.get("/io")
async def io_wait() -> dict:
    await asyncio.sleep(IO_WAIT_S)
    return {"waited_ms": 20}


@app.get("/cpu")
async def cpu() -> dict:
    return {"steps": CPU_STEPS, "checksum": cpu_loop()}


@app.post("/validate")
async def validate(order: Order) -> dict:
    return {"ok": True, "total": order.quantity * order.price}
