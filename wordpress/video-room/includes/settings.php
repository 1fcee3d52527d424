<?php
/**
 * The two settings: where the signaling server is, and the secret that signs
 * room tokens. A constant in wp-config.php wins over the database, and is the
 * better home for the secret: a database dump, a backup or an SQL injection
 * elsewhere on the site would otherwise hand it out.
 */

defined( 'ABSPATH' ) || exit;

/** The signaling server's WebSocket URL ('' when not set). */
function video_room_server_url() {
	if ( defined( 'VIDEO_ROOM_SERVER' ) ) {
		return video_room_clean_server_url( (string) VIDEO_ROOM_SERVER );
	}
	return (string) get_option( 'video_room_server', '' );
}

/** The room-token secret ('' when tokens are off). Never printed anywhere. */
function video_room_token_secret() {
	if ( defined( 'VIDEO_ROOM_TOKEN_SECRET' ) ) {
		return (string) VIDEO_ROOM_TOKEN_SECRET;
	}
	return (string) get_option( 'video_room_token_secret', '' );
}

/** A ws(s):// or http(s):// URL as given, or '' if it is not one. */
function video_room_clean_server_url( $url ) {
	$url = trim( (string) $url );
	if ( '' === $url || ! preg_match( '#^(wss?|https?)://[^\s"\'<>]+$#i', $url ) ) {
		return '';
	}
	$parts = wp_parse_url( $url );
	return ( is_array( $parts ) && ! empty( $parts['host'] ) ) ? $url : '';
}

/** The server signs with at least 32 characters; so do we. */
const VIDEO_ROOM_SECRET_MIN = 32;
