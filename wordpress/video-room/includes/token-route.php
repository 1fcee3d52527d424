<?php
/**
 * POST /wp-json/video-room/v1/token {room, name, post}: a room token for
 * whoever asks, when the post is published and shows that room. Logged-in
 * users are known by their cookie and the X-WP-Nonce header (without the
 * nonce WordPress treats the request as anonymous); those who can
 * edit_others_posts (editors, administrators; filter video_room_is_host)
 * host, everyone else is a guest, named after their display name when
 * logged in. Tokens last five minutes: the element asks again before a
 * rejoin. Each address may ask a limited number of times a minute.
 */

defined( 'ABSPATH' ) || exit;

/** How long a token is good for, in seconds. */
const VIDEO_ROOM_TOKEN_TTL = 300;

add_action( 'rest_api_init', 'video_room_token_route' );

function video_room_token_route() {
	register_rest_route(
		'video-room/v1',
		'/token',
		array(
			'methods'             => 'POST',
			'callback'            => 'video_room_token_response',
			'permission_callback' => 'video_room_token_permission',
			'args'                => array(
				'room' => array(
					'type'     => 'string',
					'required' => true,
					'pattern'  => '^[A-Za-z0-9_-]{1,64}$',
				),
				'post' => array(
					'type'     => 'integer',
					'required' => true,
					'minimum'  => 1,
				),
				'name' => array(
					'type'      => 'string',
					'maxLength' => 200,
				),
			),
		)
	);
}

/** Tokens on, not too many asks from this address, and the room on a published post. */
function video_room_token_permission( WP_REST_Request $request ) {
	if ( '' === video_room_token_secret() ) {
		return new WP_Error( 'video_room_tokens_off', __( 'Cannot give a room token: no secret is set.', 'video-room' ), array( 'status' => 404 ) );
	}
	if ( ! video_room_rate_ok() ) {
		return new WP_Error( 'video_room_too_many', __( 'Cannot give a room token: too many requests; try again in a minute.', 'video-room' ), array( 'status' => 429 ) );
	}
	$post = get_post( (int) $request['post'] );
	$shown = $post
		&& 'publish' === $post->post_status
		&& is_post_publicly_viewable( $post )
		&& ! post_password_required( $post )
		&& in_array( (string) $request['room'], video_room_rooms_on_post( $post ), true );
	if ( ! $shown ) {
		return new WP_Error( 'video_room_not_shown', __( 'Cannot give a room token: no published post shows this room.', 'video-room' ), array( 'status' => 403 ) );
	}
	return true;
}

function video_room_token_response( WP_REST_Request $request ) {
	$room = (string) $request['room'];
	$post = get_post( (int) $request['post'] );
	$user = wp_get_current_user();
	$host = (bool) apply_filters( 'video_room_is_host', current_user_can( 'edit_others_posts' ), $room, $post, $user );
	$exp    = time() + VIDEO_ROOM_TOKEN_TTL;
	$claims = array(
		'room' => $room,
		'role' => $host ? 'host' : 'guest',
		'exp'  => $exp,
	);
	// A logged-in user is who the site says; a visitor keeps the name they typed.
	$name = $user->exists() ? video_room_token_name( $user->display_name ) : '';
	if ( '' !== $name ) {
		$claims['name'] = $name;
	}
	$response = new WP_REST_Response(
		array(
			'token'   => video_room_mint_token( $claims, video_room_token_secret() ),
			'role'    => $claims['role'],
			'expires' => $exp,
		)
	);
	$response->header( 'Cache-Control', 'no-store' );
	return $response;
}

/**
 * At most video_room_token_rate_limit (default 30) asks a minute per address.
 * A transient per address and minute: on a site with an object cache, shared
 * across its web servers.
 */
function video_room_rate_ok() {
	$limit = (int) apply_filters( 'video_room_token_rate_limit', 30 );
	$addr  = isset( $_SERVER['REMOTE_ADDR'] ) ? (string) $_SERVER['REMOTE_ADDR'] : '';
	$key   = 'video_room_rate_' . md5( $addr . '|' . gmdate( 'YmdHi' ) );
	$count = (int) get_transient( $key );
	if ( $count >= $limit ) {
		return false;
	}
	set_transient( $key, $count + 1, 2 * MINUTE_IN_SECONDS );
	return true;
}
