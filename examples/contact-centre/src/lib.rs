//! A contact-centre service on the generated SDKs, written the way a production integration
//! would use them, and run against local mocks by `tests/service.rs`:
//!
//! - list every Flex flow, a page at a time, keeping the link to resume from;
//! - create a Flex web channel (a POST: retried by the client if Twilio throttles it);
//! - look up a Flex user, where "not found" is an answer, not a failure;
//! - record Twilio's request id for support tickets;
//! - report calls to Front's Channel API, each request signed with a fresh channel JWT;
//! - receive Twilio's status callbacks and Front's channel deliveries, verified
//!   ([`webhooks`]).

pub mod webhooks;

use futures_util::StreamExt as _;
use twilio_flex_v1::operations::CreateWebChannelRequired;
use twilio_flex_v1::NextLink;
use twilio_flex_v2::types::{FlexUser, FlexUserSid, InstanceSid};

/// The clients the service uses. Build them once and share them: they are cheap to clone
/// and share connection pools and token caches.
#[derive(Clone, Debug)]
pub struct Service {
    pub flex_v1: twilio_flex_v1::Client,
    pub flex_v2: twilio_flex_v2::Client,
    pub front: front_channel::Client,
}

/// One page's worth of flows, and where the listing continues.
#[derive(Debug)]
pub struct FlowPage {
    pub names: Vec<String>,
    pub next: Option<NextLink>,
}

/// What creating a web channel gave, with the request id to quote to Twilio.
#[derive(Debug)]
pub struct CreatedChannel {
    pub sid: String,
    pub request_id: Option<String>,
}

impl Service {
    /// Clients from the environment: `TWILIO_*` and `FRONT_*` variables (see each crate's
    /// `Client::from_env`).
    pub fn from_env() -> Result<Self, twilio_flex_v1::Error> {
        Ok(Service {
            flex_v1: twilio_flex_v1::Client::from_env()?,
            flex_v2: twilio_flex_v2::Client::from_env()?,
            front: front_channel::Client::from_env()?,
        })
    }

    /// Every flow's name, across pages.
    pub async fn all_flow_names(&self) -> Result<Vec<String>, twilio_flex_v1::Error> {
        let flows = self
            .flex_v1
            .list_flex_flows()
            .page_size(50)
            .stream()
            .try_collect()
            .await?;
        Ok(flows.into_iter().filter_map(|f| f.friendly_name).collect())
    }

    /// One page of flows: from the start, or from a link saved by an earlier call (a job
    /// that stopped half-way resumes where it was).
    pub async fn flow_page(
        &self,
        resume: Option<NextLink>,
    ) -> Result<FlowPage, twilio_flex_v1::Error> {
        let mut request = self.flex_v1.list_flex_flows().page_size(50);
        if let Some(link) = resume {
            request = request.resume_from(link);
        }
        let mut pages = request.pages();
        let Some(page) = pages.next().await else {
            return Ok(FlowPage {
                names: Vec::new(),
                next: None,
            });
        };
        let page = page?;
        Ok(FlowPage {
            names: page
                .items()
                .iter()
                .filter_map(|f| f.friendly_name.clone())
                .collect(),
            next: page.next_link().cloned(),
        })
    }

    /// Creates a web channel for a visitor. Throttling (429) is retried by the client, POST
    /// included: Twilio did not process a throttled request.
    pub async fn open_web_chat(
        &self,
        flow: &str,
        visitor: &str,
    ) -> Result<CreatedChannel, twilio_flex_v1::Error> {
        let response = self
            .flex_v1
            .create_web_channel(CreateWebChannelRequired {
                flex_flow_sid: flow.to_owned(),
                identity: visitor.to_owned(),
                customer_friendly_name: visitor.to_owned(),
                chat_friendly_name: format!("Chat with {visitor}"),
            })
            .pre_engagement_data(r#"{"source":"website"}"#)
            .send_with_metadata()
            .await?;
        let request_id = response.request_id().map(str::to_owned);
        let sid = response
            .into_body()
            .sid
            .map(|s| s.to_string())
            .unwrap_or_default();
        Ok(CreatedChannel { sid, request_id })
    }

    /// A Flex user, or `None` when Twilio has no such user.
    pub async fn flex_user(
        &self,
        instance: InstanceSid,
        user: FlexUserSid,
    ) -> Result<Option<FlexUser>, twilio_flex_v2::Error> {
        match self.flex_v2.fetch_flex_user(instance, user).send().await {
            Ok(user) => Ok(Some(user)),
            Err(e) if e.is_not_found() => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Tells Front a call rang, then was answered, on `channel`. The client signs each
    /// request with a JWT for `channel` (see `front_channel::Client::from_env`).
    pub async fn report_call(
        &self,
        channel: &str,
        call_id: &str,
        caller: &str,
    ) -> Result<(), front_channel::Error> {
        use front_channel::types::{
            CallParty, CreateCall, CreateCallInbound, CreateCallInboundInitialStatus,
            UpdateCallCallStatus,
        };
        let call = CreateCallInbound::new(
            call_id,
            CreateCallInboundInitialStatus::Ringing,
            CallParty::new(caller),
            call_id,
        );
        self.front
            .create_call(channel)
            .body(CreateCall::Inbound(call))
            .send()
            .await?;
        self.front
            .update_call(channel, call_id, UpdateCallCallStatus::Connected)
            .send()
            .await?;
        Ok(())
    }
}
