//! What a vendor's APIs need beyond HTTP: Twilio's host rules, credentials and SIDs;
//! Front's channel JWT. Generated crates name these in their `ApiInfo`; the core of the
//! runtime never names a vendor.

pub mod front;
pub mod twilio;
