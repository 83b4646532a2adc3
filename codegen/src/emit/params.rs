//! How each parameter goes into the request: the runtime call for its place and style.

use proc_macro2::TokenStream;
use quote::quote;

use super::rust::ident;
use crate::model::{Input, ParamLocation, Serialisation, Style};

/// The statement that writes one parameter: in its location's default style by the plain
/// setter (`path_param`, `query`, `header`), else with the style the spec gives.
pub(crate) fn step(input: &Input, location: ParamLocation) -> TokenStream {
    let n = ident(&input.name);
    let wire = &input.wire_name;
    let Serialisation { style, explode } = input.serialisation;
    let default = input.serialisation == Serialisation::default_for(location);
    let runtime_style = |variant: &str| {
        let v = ident(variant);
        match style {
            Style::Simple | Style::Label | Style::Matrix | Style::Form => {
                quote!(sdk_runtime::encoding::ParamStyle::#v { explode: #explode })
            }
            _ => quote!(sdk_runtime::encoding::ParamStyle::#v),
        }
    };
    let variant = format!("{style:?}");
    match location {
        ParamLocation::Path if default => quote!(request.path_param(#wire, &self.#n);),
        ParamLocation::Query if default => quote!(request.query(#wire, &self.#n);),
        ParamLocation::Header if !explode => quote!(request.header(#wire, &self.#n);),
        ParamLocation::Path => {
            let s = runtime_style(&variant);
            quote!(request.path_param_styled(#wire, &self.#n, #s);)
        }
        ParamLocation::Query => {
            let s = runtime_style(&variant);
            quote!(request.query_styled(#wire, &self.#n, #s);)
        }
        ParamLocation::Header => quote!(request.header_styled(#wire, &self.#n, true);),
        ParamLocation::Cookie => quote!(request.cookie(#wire, &self.#n, #explode);),
    }
}
