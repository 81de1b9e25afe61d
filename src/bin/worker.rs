//! The uncertainty worker: runs the sensitivity sweep and the Monte Carlo
//! in a Web Worker, off the page's main thread.
//!
//! Built without the `page` feature, so it links the model and the message
//! codec (`stackwise::state::worker`) and nothing of Leptos or plotters.
//! It says it is ready, then runs each job it is sent one step at a time;
//! after every step it posts the step and lets its message queue run (a
//! message to itself through a `MessageChannel`, which, unlike
//! `setTimeout`, is not clamped to 4 ms), so a newer job replaces the
//! running one within a step. The page's side is `src/ui/worker.rs`.

#[cfg(target_arch = "wasm32")]
mod web {
    use std::cell::{Cell, RefCell};
    use std::rc::Rc;

    use stackwise::state::worker::{Message, WorkerLoop};
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::{JsCast, JsValue};
    use web_sys::{DedicatedWorkerGlobalScope, MessageChannel, MessageEvent, MessagePort};

    /// The worker's state, shared by its two message handlers.
    struct Worker {
        scope: DedicatedWorkerGlobalScope,
        jobs: RefCell<WorkerLoop>,
        /// Where a "work on" message is posted; it arrives at the other port.
        wake: MessagePort,
        /// Whether a "work on" message is on its way.
        waking: Cell<bool>,
    }

    impl Worker {
        fn post(&self, text: &str) {
            let _ = self.scope.post_message(&JsValue::from_str(text));
        }

        /// Posts a reply: its text alone, or with a part's draws beside it
        /// as `[text, Float64Array]`, the array's buffer transferred (moved
        /// to the page, not copied).
        fn post_message(&self, message: &Message) {
            if message.values.is_empty() {
                self.post(&message.text);
                return;
            }
            let values = js_sys::Float64Array::from(message.values.as_slice());
            let pair = js_sys::Array::of2(&JsValue::from_str(&message.text), &values);
            let moved = js_sys::Array::of1(&values.buffer());
            let _ = self.scope.post_message_with_transfer(&pair, &moved);
        }

        fn now(&self) -> f64 {
            self.scope.performance().map_or(0.0, |p| p.now())
        }

        /// Asks for one more step once the messages queued so far have run.
        fn wake(&self) {
            if !self.waking.get() && self.jobs.borrow().busy() {
                self.waking
                    .set(self.wake.post_message(&JsValue::NULL).is_ok());
            }
        }

        fn receive(&self, event: &MessageEvent) {
            let text = event.data().as_string().unwrap_or_default();
            let refusal = self.jobs.borrow_mut().receive(&text);
            if let Some(reply) = refusal {
                self.post(&reply);
            }
            self.wake();
        }

        fn work(&self) {
            self.waking.set(false);
            let reply = self.jobs.borrow_mut().work(&mut || self.now());
            if let Some(reply) = reply {
                self.post_message(&reply);
            }
            self.wake();
        }
    }

    pub fn start() {
        let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
        let Ok(channel) = MessageChannel::new() else {
            // Not a worker that can schedule its steps: say nothing, and the
            // page, never told it is ready, computes on its own.
            return;
        };
        let worker = Rc::new(Worker {
            scope: scope.clone(),
            jobs: RefCell::new(WorkerLoop::new()),
            wake: channel.port1(),
            waking: Cell::new(false),
        });
        let on_wake = {
            let worker = worker.clone();
            Closure::<dyn Fn()>::new(move || worker.work())
        };
        channel
            .port2()
            .set_onmessage(Some(on_wake.as_ref().unchecked_ref()));
        on_wake.forget();
        let on_message = {
            let worker = worker.clone();
            Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| worker.receive(&event))
        };
        scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        on_message.forget();
        worker.post(&WorkerLoop::ready());
    }
}

#[cfg(target_arch = "wasm32")]
fn main() {
    web::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    // The worker runs in the page: build it with `trunk build --release`.
    eprintln!("the stackwise worker runs in the browser: see README.md");
}
