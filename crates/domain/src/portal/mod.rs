//! Portal: what members meet on their phones. Bulletins (通知公告) and who they reach.

pub mod bulletin;
