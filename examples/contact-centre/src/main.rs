//! Runs the example service once against the real APIs, with credentials from the
//! environment: `TWILIO_ACCOUNT_SID`/`TWILIO_AUTH_TOKEN` (or an API key, or an OAuth
//! client) and `FRONT_APP_UID`/`FRONT_APP_SECRET` for Front's channel JWT.

use contact_centre_example::Service;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let service = Service::from_env()?;
    let names = service.all_flow_names().await?;
    println!("{} Flex flows: {names:?}", names.len());
    Ok(())
}
