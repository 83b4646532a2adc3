//! Tests of the crates generated from the tricky specs in `codegen/tests/tricky/`: their types
//! decode and encode the wire format the specs describe.
//!
//! This file is not part of our workspace and is not built with xtask. `xtask/tests/tricky.rs`
//! generates the tricky specs' crates (`tricky-docs`, `tricky-enums`, `tricky-names`,
//! `tricky-oas31`, `tricky-params`, `tricky-webhooks`) into a
//! scratch workspace at test time and copies this file in as the `src/lib.rs` of a
//! `tricky-checks` crate that depends on them; `cargo test --workspace` runs it there. It
//! cannot live in our workspace because the crates it uses exist only in that scratch
//! workspace, and Cargo does not take it for a test target of its own (only `tests/*.rs` and
//! `tests/*/main.rs` are).

#[cfg(test)]
mod tests {
    use serde_json::json;

    #[test]
    fn colliding_properties_keep_their_wire_names() {
        let mut widget = tricky_names::types::Widget::new("camel", "kind");
        // `foo_bar` is already snake_case, so it keeps the name; the others are numbered.
        widget.foo_bar = Some("snake".into());
        widget.foo_bar_2 = Some(3);
        widget.self_ = Some("lower".into());
        widget.self_2 = Some("upper".into());
        widget.crate_ = Some("c".into());
        widget.r#async = Some(true);
        widget.grosse = Some(1.5);
        widget.u540d_u524d = Some("name".into());
        let wire = json!({
            "fooBar": "camel",
            "foo_bar": "snake",
            "FooBar": 3,
            "type": "kind",
            "self": "lower",
            "Self": "upper",
            "crate": "c",
            "async": true,
            "größe": 1.5,
            "名前": "name"
        });
        assert_eq!(serde_json::to_value(&widget).unwrap(), wire);
        assert_eq!(
            serde_json::from_value::<tricky_names::types::Widget>(wire).unwrap(),
            widget
        );
    }

    /// `tricky_params.yaml` against a mock server: every parameter as OpenAPI's style/explode
    /// table writes it (issue 28). A union in the path sends its active variant; an enum by
    /// `$ref` in the query sends its value.
    #[tokio::test]
    async fn parameters_of_every_shape_on_the_wire() {
        use tricky_params::types::{Colour, Filter, GetThingKey, GetThingThing, Point};
        use wiremock::{matchers::any, Mock, MockServer, ResponseTemplate};

        let server = MockServer::start().await;
        Mock::given(any())
            .respond_with(ResponseTemplate::new(204))
            .mount(&server)
            .await;
        let client = tricky_params::Client::builder()
            .base_url(server.uri())
            .build()
            .unwrap();
        let mut filter = Filter::new();
        filter.colour = Some(Colour::Red);
        filter.min = Some(3);
        client
            .get_thing(GetThingThing::Integer(42))
            .colour(Colour::DarkBlue)
            .colours(vec![Colour::Red, Colour::Green])
            .ids(vec![1, 2])
            .words(vec!["a".into(), "b".into()])
            .filter(filter)
            .point(Point::new(1, 2))
            .note("hi there")
            .size(5)
            .key(GetThingKey::Colour(Colour::Green))
            .x_colour(Colour::Red)
            .x_ids(vec![1, 2])
            .x_point(Point::new(1, 2))
            .session("s 1")
            .theme(Colour::Green)
            .send()
            .await
            .unwrap();
        client
            .get_thing(GetThingThing::String("my thing".into()))
            .send()
            .await
            .unwrap();
        client
            .get_palette(
                Colour::DarkBlue,
                vec![Colour::Red, Colour::Green],
                vec!["a".into(), "b".into()],
            )
            .send()
            .await
            .unwrap();

        let requests = server.received_requests().await.unwrap();
        let sent: Vec<(&str, Option<&str>)> = requests
            .iter()
            .map(|r| (r.url.path(), r.url.query()))
            .collect();
        assert_eq!(
            sent,
            [
                (
                    "/v1/things/42",
                    Some("colour=dark+blue&colours=red&colours=green&ids=1%2C2&words=a%7Cb&filter%5Bcolour%5D=red&filter%5Bmin%5D=3&x=1&y=2&note=hi+there&size=5&key=green")
                ),
                ("/v1/things/my%20thing", None),
                ("/v1/palettes/dark%20blue/.red,green/;matrix=a;matrix=b", None),
            ]
        );
        let header = |name: &str| requests[0].headers.get(name).map(|v| v.to_str().unwrap());
        assert_eq!(header("x-colour"), Some("red"));
        assert_eq!(header("x-ids"), Some("1,2"));
        assert_eq!(header("x-point"), Some("x=1,y=2"));
        assert_eq!(header("cookie"), Some("session=s%201; theme=green"));
        assert!(requests[1].headers.get("cookie").is_none());
    }

    #[test]
    fn variants_that_share_a_tag_decode_as_the_first_that_fits() {
        use tricky_names::types::Drawn;
        let square: Drawn = serde_json::from_value(json!({"kind": "shape", "side": 2.0})).unwrap();
        assert!(
            matches!(&square, Drawn::Shape(s) if s.side == 2.0),
            "{square:?}"
        );
        let circle: Drawn =
            serde_json::from_value(json!({"kind": "shape", "radius": 1.5})).unwrap();
        assert!(
            matches!(&circle, Drawn::Shape2(c) if c.radius == 1.5),
            "{circle:?}"
        );
        let other: Drawn = serde_json::from_value(json!({"kind": "line"})).unwrap();
        assert!(matches!(other, Drawn::Unknown(_)), "{other:?}");
    }

    #[test]
    fn union_variants_named_by_numbers_decode() {
        use tricky_names::types::{Shape, Tagged};
        let tagged: Tagged = serde_json::from_value(json!({"kind": "1", "sides": 3})).unwrap();
        assert!(
            matches!(&tagged, Tagged::N1(s) if s.sides == Some(3)),
            "{tagged:?}"
        );
        let shape: Shape = serde_json::from_value(json!({"kind": "x", "sides": 4})).unwrap();
        assert!(matches!(shape, Shape::Shape1(_)), "{shape:?}");
    }

    #[test]
    fn the_empty_enum_value_decodes_and_encodes() {
        use tricky_enums::types::Sign;
        let empty: Sign = serde_json::from_str("\"\"").unwrap();
        assert_eq!(empty, Sign::Empty);
        assert_eq!(serde_json::to_string(&empty).unwrap(), "\"\"");
        for value in Sign::VALUES {
            let decoded: Sign = serde_json::from_value(json!(value)).unwrap();
            assert!(
                !matches!(decoded, Sign::Unknown2(_)),
                "{value:?} is a known value"
            );
            assert_eq!(decoded.as_str(), *value);
        }
        assert_eq!(Sign::from("a"), Sign::A);
        assert_eq!(Sign::from("A"), Sign::A2);
        assert!(matches!(Sign::from("new"), Sign::Unknown2(_)));
        assert_eq!(String::from(Sign::from("new")), "new");
    }

    #[test]
    fn recursive_types_decode() {
        let tree = json!({
            "value": "root",
            "children": [{"value": "leaf"}],
            "parent": {"value": "up"},
            "next": null,
            "labels": {"l": {"value": "label"}}
        });
        let node: tricky_names::types::Node = serde_json::from_value(tree).unwrap();
        assert_eq!(node.children.as_ref().unwrap()[0].value, "leaf");
        assert_eq!(node.parent.as_ref().unwrap().value, "up");
        let ping: tricky_names::types::Ping =
            serde_json::from_value(json!({"pong": {"ping": {}}})).unwrap();
        assert!(ping.pong.unwrap().ping.pong.is_none());
    }

    /// Each webhook of `tricky_webhooks.yaml` decodes by its name: the spec's own example
    /// for the JSON one, form data for the form one, nothing for the one without a body.
    #[test]
    fn webhooks_decode_by_name_and_keep_unknown_names() {
        use tricky_webhooks::webhooks::Webhook;

        // The `pet.created` example of tricky_webhooks.yaml.
        let example = json!({"id": 7, "name": "Rex", "tag": null, "kind": "pet"});
        let body = serde_json::to_vec(&example).unwrap();
        match Webhook::decode("pet.created", &body).unwrap() {
            Webhook::PetCreated(pet) => {
                assert_eq!(
                    (pet.id, pet.name.as_str(), pet.tag.as_deref()),
                    (7, "Rex", None)
                );
                // An optional field that is null or absent is one `None`, sent as absent.
                assert_eq!(
                    serde_json::to_value(&pet).unwrap(),
                    json!({"id": 7, "name": "Rex", "kind": "pet"})
                );
            }
            other => panic!("{other:?}"),
        }
        let form = b"MessageSid=SM1&MessageStatus=delivered&ErrorCode=30003";
        match Webhook::decode("message-status", form).unwrap() {
            Webhook::MessageStatus(status) => {
                assert_eq!(status.message_sid, "SM1");
                assert_eq!(status.error_code, Some(30003));
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            Webhook::decode("ping", b"").unwrap(),
            Webhook::Ping
        ));
        match Webhook::decode("recording", b"RIFF").unwrap() {
            Webhook::Recording(raw) => assert_eq!(&raw.bytes()[..], b"RIFF"),
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            Webhook::decode("shared", br#"{"count": 2}"#).unwrap(),
            Webhook::Shared(_)
        ));
        // A webhook newer than the spec is kept, not refused.
        let unknown = Webhook::decode("pet.deleted", b"{}").unwrap();
        assert_eq!(unknown.name(), "pet.deleted");
        assert!(matches!(unknown, Webhook::Unknown(_)));
        // A known webhook with a body of the wrong shape is an error naming the place.
        let err = Webhook::decode("pet.created", br#"{"id": "seven"}"#).unwrap_err();
        assert!(err.to_string().contains("id"), "{err}");
        assert!(
            !err.to_string().contains("seven"),
            "values are not echoed: {err}"
        );
        assert_eq!(
            Webhook::NAMES,
            [
                "pet.created",
                "message-status",
                "ping",
                "recording",
                "shared"
            ]
        );
    }

    /// A `text/event-stream` success, against a mock server: `send_events` asks for events and
    /// decodes each event's data as the spec's schema, skipping comments, until `[DONE]`;
    /// `send` still decodes the JSON answer; a server that answers events with JSON is an
    /// error, not an empty stream.
    #[tokio::test]
    async fn server_sent_events_arrive_typed() {
        use wiremock::matchers::{header, method, path};
        use wiremock::{Mock, MockServer, ResponseTemplate};

        let server = MockServer::start().await;
        let events = ": connected\n\nid: 1\ndata: {\"height\": 1}\n\nevent: measured\ndata: {\"height\":\ndata: 2, \"note\": \"rain\"}\n\ndata: [DONE]\n\ndata: {\"height\": 9}\n\n";
        Mock::given(method("GET"))
            .and(path("/trees/t1/growth"))
            .and(header("accept", "text/event-stream"))
            .respond_with(ResponseTemplate::new(200).set_body_raw(events, "text/event-stream"))
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path("/trees/t1/growth"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({"height": 3})))
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path("/trees/t2/growth"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({"height": 3})))
            .mount(&server)
            .await;
        let client = tricky_oas31::Client::builder()
            .base_url(server.uri())
            .build()
            .unwrap();

        let mut stream = client.watch_growth("t1").send_events().await.unwrap();
        let first = stream.next_event().await.unwrap().unwrap();
        assert_eq!((first.id.as_deref(), first.data.height), (Some("1"), 1));
        let second = stream.next_event().await.unwrap().unwrap();
        assert_eq!(second.event.as_deref(), Some("measured"));
        assert_eq!(
            (second.data.height, second.data.note.as_deref()),
            (2, Some("rain"))
        );
        assert!(
            stream.next_event().await.is_none(),
            "[DONE] ends the stream"
        );

        assert_eq!(client.watch_growth("t1").send().await.unwrap().height, 3);
        let error = client.watch_growth("t2").send_events().await.unwrap_err();
        assert!(
            error.to_string().contains("could not decode"),
            "{error}: {error:?}"
        );
    }

    /// The 3.1 document `tricky_oas31.yaml`, against a mock server: statuses with different
    /// bodies decode into their variants, text comes back as a `String`, raw bodies go out
    /// as given with their content type, and 3.1 types decode.
    #[tokio::test]
    async fn oas31_statuses_text_and_raw_bodies_on_the_wire() {
        use tricky_oas31::operations::{PlantTreeResponse, PruneTreeResponse};
        use wiremock::matchers::{body_bytes, header, method, path};
        use wiremock::{Mock, MockServer, ResponseTemplate};

        let server = MockServer::start().await;
        let tree = json!({"kind": "tree", "tags": ["oak", null], "root": {"name": "r", "children": [{"name": "c"}]}});
        for (status, body) in [(200, tree.clone()), (201, json!({"id": 7}))] {
            Mock::given(method("POST"))
                .and(path("/trees"))
                .and(wiremock::matchers::body_json(
                    json!({"species": format!("s{status}")}),
                ))
                .respond_with(ResponseTemplate::new(status).set_body_json(body))
                .mount(&server)
                .await;
        }
        Mock::given(method("POST"))
            .and(path("/trees"))
            .and(wiremock::matchers::body_json(json!({"species": "queued"})))
            .respond_with(ResponseTemplate::new(202))
            .mount(&server)
            .await;
        Mock::given(method("POST"))
            .and(path("/trees"))
            .and(wiremock::matchers::body_json(json!({"species": "odd"})))
            .respond_with(ResponseTemplate::new(203).set_body_string("?"))
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path("/trees"))
            .respond_with(ResponseTemplate::new(200).set_body_string("3 trees"))
            .mount(&server)
            .await;
        Mock::given(method("PUT"))
            .and(path("/trees/t1/photo"))
            .and(header("content-type", "image/jpeg"))
            .and(body_bytes(b"\xff\xd8\xff".to_vec()))
            .respond_with(ResponseTemplate::new(204))
            .mount(&server)
            .await;
        Mock::given(method("POST"))
            .and(path("/notes"))
            .and(header("content-type", "text/markdown"))
            .and(body_bytes(b"# hi".to_vec()))
            .respond_with(ResponseTemplate::new(204))
            .mount(&server)
            .await;

        for (tree, response) in [
            (
                "t1",
                ResponseTemplate::new(200).set_body_json(json!({"kind": "tree"})),
            ),
            ("t2", ResponseTemplate::new(204)),
        ] {
            Mock::given(method("PATCH"))
                .and(path(format!("/trees/{tree}")))
                .respond_with(response)
                .mount(&server)
                .await;
        }
        Mock::given(method("GET"))
            .and(path("/trees/t1/shape"))
            .respond_with(
                ResponseTemplate::new(200).set_body_json(json!({"id": "s1", "radius": 2.5})),
            )
            .mount(&server)
            .await;

        let client = tricky_oas31::Client::builder()
            .base_url(server.uri())
            .build()
            .unwrap();
        // A JSON body beside an empty one: the empty 204 is not decoded as JSON.
        match client.prune_tree("t1").send().await.unwrap() {
            PruneTreeResponse::Ok(tree) => assert!(tree.tags.is_none()),
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            client.prune_tree("t2").send().await.unwrap(),
            PruneTreeResponse::NoContent
        ));
        // The property beside `oneOf` is in the variant.
        match client.get_shape("t1").send().await.unwrap() {
            tricky_oas31::types::Shape::Variant1(circle) => {
                assert_eq!((circle.id.as_str(), circle.radius), ("s1", 2.5));
            }
            other => panic!("{other:?}"),
        }
        match client.plant_tree("s200").send().await.unwrap() {
            PlantTreeResponse::Ok(tree) => {
                assert_eq!(tree.tags, Some(vec![Some("oak".to_owned()), None]));
                let root = tree.root.unwrap();
                assert_eq!(root.children.unwrap()[0].name.as_deref(), Some("c"));
            }
            other => panic!("{other:?}"),
        }
        match client.plant_tree("s201").send().await.unwrap() {
            PlantTreeResponse::Created(created) => assert_eq!(created.id, 7),
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            client.plant_tree("queued").send().await.unwrap(),
            PlantTreeResponse::Accepted(_)
        ));
        match client.plant_tree("odd").send().await.unwrap() {
            PlantTreeResponse::Other(body) => assert_eq!(body.text(), "?"),
            other => panic!("{other:?}"),
        }
        let text: String = client.describe_trees().send().await.unwrap();
        assert_eq!(text, "3 trees");
        client
            .upload_photo("t1", b"\xff\xd8\xff".to_vec())
            .content_type("image/jpeg")
            .send()
            .await
            .unwrap();
        let () = client.add_note("# hi").send().await.unwrap();
    }
}
