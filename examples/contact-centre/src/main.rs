//! Runs the example service against the real APIs, with credentials from the environment:
//! `TWILIO_ACCOUNT_SID`/`TWILIO_AUTH_TOKEN` (or an API key, or an OAuth client) and
//! `FRONT_APP_UID`/`FRONT_APP_SECRET` for Front's channel JWT.
//!
//! - no argument: lists the account's Flex flows once;
//! - `serve`: receives webhooks on `WEBHOOK_ADDR` (default `127.0.0.1:8080`), checking
//!   signatures against `PUBLIC_ORIGIN` (e.g. `https://hooks.example.com`, the origin
//!   Twilio and Front are configured to call).

use std::sync::{Arc, Mutex};

use contact_centre_example::webhooks::{router, WebhookConfig};
use contact_centre_example::Service;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    if std::env::args().nth(1).as_deref() == Some("serve") {
        let var = |name: &str| std::env::var(name).map_err(|_| format!("{name} is not set"));
        let config = WebhookConfig {
            twilio_auth_token: var("TWILIO_AUTH_TOKEN")?,
            front_app_secret: var("FRONT_APP_SECRET")?,
            public_origin: var("PUBLIC_ORIGIN")?,
        };
        let addr = std::env::var("WEBHOOK_ADDR").unwrap_or_else(|_| "127.0.0.1:8080".into());
        let listener = tokio::net::TcpListener::bind(&addr).await?;
        println!("receiving webhooks on {addr}");
        axum::serve(listener, router(config, Arc::new(Mutex::new(Vec::new())))).await?;
        return Ok(());
    }
    let service = Service::from_env()?;
    let names = service.all_flow_names().await?;
    println!("{} Flex flows: {names:?}", names.len());
    Ok(())
}
