//! Services that hold no HTTP: the server's keys and the audit log's signed checkpoints (issue
//! 20). The business services still live under `server/` until they move here (issue 23);
//! nothing in this layer uses `server`, `api` or the pages.

pub mod checkpoints;
pub mod devices;
pub mod keys;
